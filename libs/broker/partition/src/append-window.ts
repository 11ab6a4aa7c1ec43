// The leader's window of replication Appends in flight (group commit that adapts to load).
//
// Without a window every microtask's worth of produces became its own Append to every replica,
// however far behind the replicas were: an open-loop stream of one 16 KiB batch per produce went
// out as one Append per batch, the nodes' queues (and grpc-js's buffers) grew, and nothing could
// merge the batches already sent. With at most `limit` Appends in flight, produces that arrive
// while the window is full wait in the leader's outgoing queue and leave together in the next
// Append (up to maxAppendBytes): the slower the replicas answer, the larger each Append, so the
// cost per byte falls exactly when it matters. This is the self-clocking Raft leaders use (a cap
// on in-flight AppendEntries, the next one carrying everything appended meanwhile) and what a
// Kafka producer does with max.in.flight.requests.per.connection and its record accumulator.
//
// An Append leaves the window once the high watermark covers it (a write quorum has it) or once
// every replica it went to has answered, ok or not, so a slow or failed third replica never
// holds the partition back: it is repaired by the catch-up path, not by the window.

/** An Append counted in the window; give it back to `settled` once per replica it was sent to. */
export interface WindowTicket {
  readonly end: bigint;
  unsettled: number;
  done: boolean;
}

export class AppendWindow {
  private readonly open = new Set<WindowTicket>();

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the Append window must be a positive integer, got ${limit}`);
  }

  get inFlight(): number {
    return this.open.size;
  }

  get full(): boolean {
    return this.open.size >= this.limit;
  }

  /** Counts an Append ending at `end` that goes to `replicas` replicas. */
  opened(end: bigint, replicas: number): WindowTicket {
    const ticket: WindowTicket = { end, unsettled: replicas, done: replicas <= 0 };
    if (!ticket.done) this.open.add(ticket);
    return ticket;
  }

  /** One replica answered (ack or failure) the Append of `ticket`. */
  settled(ticket: WindowTicket): void {
    if (ticket.done) return;
    ticket.unsettled--;
    if (ticket.unsettled <= 0) this.close(ticket);
  }

  /** The high watermark moved to `hw`: every Append ending at or below it is committed. */
  committed(hw: bigint): void {
    for (const ticket of this.open) if (ticket.end <= hw) this.close(ticket);
  }

  /** The leader stopped: nothing it sent counts any more. */
  clear(): void {
    for (const ticket of this.open) ticket.done = true;
    this.open.clear();
  }

  private close(ticket: WindowTicket): void {
    ticket.done = true;
    this.open.delete(ticket);
  }
}
