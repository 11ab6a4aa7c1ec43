// The second half of rolling a segment, off the append path: fsync the rolled segment's data, then
// write its index files (Segment.persistSeal). Kafka also flushes a rolled segment asynchronously;
// waiting for it on the append path stalled every append behind an fsync of a whole segment.
// Seals run one at a time in roll order. All methods except start() are called from the
// partition's serial queue, so the queue itself needs no locking.
import type { Segment } from './segment';
import type { LogSink } from './types';

interface Seal {
  readonly segment: Segment;
  state: 'running' | 'done' | 'failed';
}

export class BackgroundSeals {
  private queue: Seal[] = [];
  private chain: Promise<void> = Promise.resolve();

  /**
   * `syncDir` runs after each seal: it makes the index files and the next segment's creation
   * durable (roll no longer waits for a directory fsync, which queues behind the data flush).
   */
  constructor(
    private readonly log: LogSink,
    private readonly syncDir: () => Promise<void>,
  ) {}

  private async persist(segment: Segment): Promise<void> {
    await segment.persistSeal();
    await this.syncDir();
  }

  /** True while some rolled segment is not yet known to be durable. */
  get pending(): boolean {
    return this.queue.length > 0;
  }

  start(segment: Segment): void {
    const seal: Seal = { segment, state: 'running' };
    this.queue.push(seal);
    this.chain = this.chain.then(async () => {
      try {
        await this.persist(segment);
        seal.state = 'done';
      } catch (err) {
        seal.state = 'failed';
        this.log.error({ segment: segment.logPath, error: (err as Error).message }, 'sealing a rolled segment failed; retried before the next append or flush');
      }
    });
  }

  /** Releases finished seals and retries failed ones in the caller's context (throwing if the retry fails); running ones are left alone. */
  async settleFinished(): Promise<void> {
    while (this.queue[0] && this.queue[0].state !== 'running') await this.settleFirst(this.queue[0]);
  }

  /** Waits for every seal, retrying failed ones: afterwards everything rolled is durable (or this threw). */
  async settleAll(): Promise<void> {
    await this.chain;
    while (this.queue[0]) await this.settleFirst(this.queue[0]);
  }

  /** Waits for running seals without retrying failed ones (for callers about to delete segments or close). */
  async waitAll(): Promise<void> {
    await this.chain;
  }

  /** Forgets the seals of segments that were deleted (a failed seal of a deleted segment must not write index files). */
  discard(segments: readonly Segment[]): void {
    this.queue = this.queue.filter((s) => !segments.includes(s.segment));
  }

  private async settleFirst(seal: Seal): Promise<void> {
    if (seal.state === 'failed') {
      await this.persist(seal.segment);
      seal.state = 'done';
    }
    this.queue.shift();
    // Sealed segments are only read from here on; their write handle is released.
    await seal.segment.close();
  }
}
