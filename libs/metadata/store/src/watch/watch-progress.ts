// One progress clock per store (per process) for every open watch stream. Each idle stream used to
// probe etcd on its own timer (one count range per stream per second, three when the revision
// moved), so a quiet control plane read etcd in proportion to clients x watch families. Here one
// round per interval reads the store revision once; a stream whose last revision is not behind it
// costs nothing, and the streams that are behind share one proof per (prefix, revision) — every
// router watching `tenants/` stands at the same revision. Steady-state cost is one etcd range per
// interval; after a write, at most a few per distinct watched prefix, whatever the stream count.
import type { KvStore } from '../kv/kv';
import { proveUnchangedSince, type ProgressProver } from './progress-proof';
import type { ResourceWatchHandle } from './resource-watch';

/** How often idle streams get `progress` (watch.proto) once the store revision moved past them. */
export const DEFAULT_WATCH_PROGRESS_INTERVAL_MS = 1_000;

export interface WatchProgressOptions {
  /** A prefix that holds no keys: counting it is the cheapest read that returns the revision. */
  readonly probePrefix: string;
  readonly intervalMs?: number;
}

export interface ProgressSubscriber {
  readonly handle: ResourceWatchHandle;
  /** When the stream last sent anything (ms since epoch): progress goes only to idle streams. */
  lastSentAt(): number;
  /** The watch stands at `revision` now; tell the client when that is past what it last sent. */
  onProgress(revision: bigint): void;
}

export class WatchProgress {
  readonly intervalMs: number;
  private readonly subscribers = new Set<ProgressSubscriber>();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly kv: KvStore,
    private readonly options: WatchProgressOptions,
  ) {
    this.intervalMs = options.intervalMs ?? DEFAULT_WATCH_PROGRESS_INTERVAL_MS;
  }

  /** Adds a stream to the rounds; call the returned function when the stream ends. */
  register(subscriber: ProgressSubscriber): () => void {
    this.subscribers.add(subscriber);
    if (this.timer === undefined) {
      this.timer = setInterval(() => void this.round(), this.intervalMs);
      // A clock for idle streams must not keep a process alive on its own.
      this.timer.unref();
    }
    return () => {
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0 && this.timer !== undefined) {
        clearInterval(this.timer);
        this.timer = undefined;
      }
    };
  }

  /**
   * One round: resolves when every idle stream got its progress or was found current. A round
   * still running when the next is due is joined, not doubled, so a slow etcd is not piled on.
   */
  round(now: number = Date.now()): Promise<void> {
    this.running ??= this.runRound(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async runRound(now: number): Promise<void> {
    const idle = [...this.subscribers].filter((s) => now - s.lastSentAt() >= this.intervalMs);
    if (idle.length === 0) return;
    let storeRevision: bigint;
    try {
      storeRevision = (await this.kv.count(this.options.probePrefix)).revision;
    } catch {
      return; // etcd unreachable or busy: no progress this round, the next one retries
    }
    const prove = sharedProver(this.kv);
    await Promise.all(
      idle.map(async (s) => {
        try {
          // Without a proof the watch still stands at its last delivered revision: events the
          // stream filtered out (another cell, another leader) moved it without a message.
          const revision = (await s.handle.progress({ storeRevision, prove })) ?? s.handle.lastRevision();
          if (this.subscribers.has(s)) s.onProgress(revision);
        } catch {
          // A failed proof (etcd busy, revision compacted) just means no progress this round.
        }
      }),
    );
  }
}

/** A prover for one round: the first watch of a (prefix, revision) pair asks etcd, the rest wait for its answer. */
function sharedProver(kv: KvStore): ProgressProver {
  const proofs = new Map<string, Promise<bigint | undefined>>();
  return (prefix, last) => {
    const key = `${last}\u0000${prefix}`;
    let proof = proofs.get(key);
    if (proof === undefined) {
      proof = proveUnchangedSince(kv, prefix, last);
      proofs.set(key, proof);
    }
    return proof;
  };
}
