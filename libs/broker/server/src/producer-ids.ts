// Producer ids for idempotent producers (KIP-98), handed out locally from blocks the metadata
// service allocates (AllocateProducerIds, KIP-730), so etcd sees one write per block. The next
// block is fetched ahead when the current one runs low, and concurrent callers share one fetch.

export interface ProducerIdBlock {
  readonly first: bigint;
  readonly count: number;
}

export interface ProducerIdAllocatorOptions {
  /** Asks metadata for a block (AllocateProducerIds with this node's id and generation). */
  readonly allocateBlock: () => Promise<ProducerIdBlock>;
  /** Prefetch the next block when this many ids are left (default 10 % of the last block). */
  readonly prefetchBelow?: number;
}

export class ProducerIdAllocator {
  private next = 0n;
  private end = 0n;
  private pending: Promise<ProducerIdBlock> | undefined;
  private ahead: ProducerIdBlock | undefined;
  private lastCount = 0;
  private readonly installed = new WeakSet<ProducerIdBlock>();

  constructor(private readonly options: ProducerIdAllocatorOptions) {}

  async nextId(): Promise<bigint> {
    for (;;) {
      if (this.next < this.end) {
        const id = this.next++;
        this.maybePrefetch();
        return id;
      }
      const ready = this.ahead;
      this.ahead = undefined;
      const block = ready ?? (await this.fetch());
      // Concurrent callers share one fetch and all receive the same block: only one installs it,
      // the others take ids from it (installing it twice would hand out its ids twice).
      if (this.installed.has(block)) continue;
      if (this.next < this.end) {
        this.ahead ??= block;
        continue;
      }
      this.install(block);
    }
  }

  private install(block: ProducerIdBlock): void {
    if (block.count <= 0 || block.first < 0n) throw new Error(`metadata returned an empty producer id block (${block.first}, ${block.count})`);
    this.installed.add(block);
    this.next = block.first;
    this.end = block.first + BigInt(block.count);
    this.lastCount = block.count;
  }

  private fetch(): Promise<ProducerIdBlock> {
    if (!this.pending) {
      this.pending = this.options.allocateBlock().finally(() => {
        this.pending = undefined;
      });
    }
    return this.pending;
  }

  private maybePrefetch(): void {
    const threshold = BigInt(this.options.prefetchBelow ?? Math.max(1, Math.floor(this.lastCount / 10)));
    if (this.ahead || this.pending || this.end - this.next > threshold) return;
    this.fetch().then(
      (block) => {
        if (!this.installed.has(block)) this.ahead ??= block;
      },
      () => undefined, // the next nextId() after exhaustion fetches again and reports the error
    );
  }
}
