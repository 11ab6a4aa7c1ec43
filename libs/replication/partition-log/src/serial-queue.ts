// Runs a partition's operations one at a time in arrival order. Pipelined appends are therefore
// applied (and acknowledged) in the order they were received, and truncation or segment deletion
// can never interleave with a read or an append of the same partition.
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
