// Kafka clients pipeline requests and match responses to requests by order as well as by
// correlation id (the Java client checks that they arrive in send order). Handlers may finish out of
// order, so each request takes a slot when it is dispatched and responses leave in slot order.

interface Slot<T> {
  value: T | undefined;
  done: boolean;
  cancelled: boolean;
}

export class OrderedResponses<T> {
  private readonly slots: Array<Slot<T>> = [];

  constructor(private readonly emit: (value: T) => void) {}

  /** Number of requests dispatched whose responses have not been emitted yet. */
  get pending(): number {
    return this.slots.length;
  }

  /** Takes the next slot; call the returned function once with the response. */
  take(): (value: T) => void {
    const slot: Slot<T> = { value: undefined, done: false, cancelled: false };
    this.slots.push(slot);
    return (value: T) => {
      if (slot.cancelled) return;
      if (slot.done) throw new Error('response slot completed twice');
      slot.value = value;
      slot.done = true;
      this.flush();
    };
  }

  /** Forgets every pending slot (the connection is gone); later completions are ignored. */
  clear(): void {
    for (const slot of this.slots) slot.cancelled = true;
    this.slots.length = 0;
  }

  private flush(): void {
    while (this.slots.length > 0 && (this.slots[0] as Slot<T>).done) {
      const slot = this.slots.shift() as Slot<T>;
      this.emit(slot.value as T);
    }
  }
}
