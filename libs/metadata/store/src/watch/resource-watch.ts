// Watch streams for caches: a full snapshot, then every change in revision order. A watcher can
// resume from a revision it already holds; if etcd compacted past it, the watcher gets a fresh
// snapshot instead of a gap. Transport faults (etcd restart) are absorbed by the KV watch, which
// resumes after the last delivered revision, so no change is missed or repeated.
import type { KvStore, KvWatch, KvWatchError } from '../kv/kv';
import { decode } from '../store/codec';
import { proveUnchangedSince, type ProgressProver } from './progress-proof';

export type ResourceEvent<T> =
  | {
      readonly type: 'snapshot';
      readonly revision: bigint;
      readonly items: ReadonlyMap<string, T>;
      /** Create revision of each key (a registration's generation, for instance). */
      readonly createRevisions: ReadonlyMap<string, bigint>;
      readonly reason: 'initial' | 'compacted';
    }
  | { readonly type: 'put'; readonly revision: bigint; readonly key: string; readonly value: T; readonly createRevision: bigint }
  | { readonly type: 'delete'; readonly revision: bigint; readonly key: string; readonly previous?: T };

export interface ResourceWatchOptions {
  /** Resume: deliver changes from this revision (inclusive) without a snapshot, if still retained. */
  readonly fromRevision?: bigint;
}

export interface ProgressOptions {
  /**
   * The store's current revision, read once for many watches (WatchProgress): when it did not
   * move past lastRevision() there is nothing to prove and no etcd read is made.
   */
  readonly storeRevision?: bigint;
  /** Shares proofs between watches of one prefix at one revision; default: prove alone. */
  readonly prove?: ProgressProver;
}

export interface ResourceWatchHandle {
  cancel(): Promise<void>;
  /** Highest revision delivered so far: pass it + 1 as fromRevision to resume later. */
  lastRevision(): bigint;
  /**
   * Proves, when it can, that nothing under the prefix changed between lastRevision() and the
   * store's current revision R, and then stands at R (later events at or below R, which can only
   * be ones that cancel out, are skipped). Returns R, or undefined when a change is pending or the
   * proof failed. Lets a watch report progress (watch.proto) without etcd progress requests.
   */
  progress(options?: ProgressOptions): Promise<bigint | undefined>;
}

const RETRY_MS = 200;

class ResourceWatch<T> implements ResourceWatchHandle {
  private last = 0n;
  /** Events at or below this revision were proven not to change the state (progress()). */
  private floor = 0n;
  private kvWatch: KvWatch | undefined;
  private cancelled = false;

  constructor(
    private readonly kv: KvStore,
    private readonly prefix: string,
    private readonly listener: (event: ResourceEvent<T>) => void,
  ) {}

  async start(options: ResourceWatchOptions): Promise<void> {
    if (options.fromRevision !== undefined && options.fromRevision > 0n) {
      this.last = options.fromRevision - 1n;
      await this.subscribe(options.fromRevision);
    } else {
      await this.snapshot('initial');
    }
  }

  lastRevision(): bigint {
    return this.last;
  }

  async progress(options: ProgressOptions = {}): Promise<bigint | undefined> {
    const last = this.last;
    if (this.cancelled || last === 0n) return undefined;
    if (options.storeRevision !== undefined && options.storeRevision <= last) return undefined;
    const proven = await (options.prove ?? ((prefix, since) => proveUnchangedSince(this.kv, prefix, since)))(this.prefix, last);
    // An event delivered meanwhile moved `last`: the proof is about a revision we already left.
    if (proven === undefined || this.last !== last || this.cancelled) return undefined;
    this.last = proven;
    this.floor = proven;
    return proven;
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    await this.kvWatch?.cancel();
    this.kvWatch = undefined;
  }

  private async snapshot(reason: 'initial' | 'compacted'): Promise<void> {
    if (this.cancelled) return;
    const range = await this.kv.range(this.prefix);
    const items = new Map(range.entries.map((e) => [e.key, decode<T>(e.value)] as const));
    this.last = range.revision;
    const createRevisions = new Map(range.entries.map((e) => [e.key, e.createRevision] as const));
    this.listener({ type: 'snapshot', revision: range.revision, items, createRevisions, reason });
    await this.subscribe(range.revision + 1n);
  }

  private async subscribe(from: bigint): Promise<void> {
    if (this.cancelled) return;
    this.kvWatch = await this.kv.watchPrefix(this.prefix, from, {
      onEvents: (events) => {
        if (this.cancelled) return;
        for (const ev of events) {
          if (ev.revision < this.last || ev.revision <= this.floor) continue;
          this.last = ev.revision;
          this.listener(
            ev.type === 'put'
              ? { type: 'put', revision: ev.revision, key: ev.key, value: decode<T>(ev.value), createRevision: ev.createRevision }
              : { type: 'delete', revision: ev.revision, key: ev.key, ...(ev.prevValue ? { previous: decode<T>(ev.prevValue) } : {}) },
          );
        }
      },
      onError: (error) => this.recover(error),
    });
  }

  private recover(error: KvWatchError): void {
    this.kvWatch = undefined;
    const attempt = async (): Promise<void> => {
      if (this.cancelled) return;
      try {
        if (error.kind === 'compacted') await this.snapshot('compacted');
        else await this.subscribe(this.last + 1n);
      } catch {
        setTimeout(() => void attempt(), RETRY_MS).unref();
      }
    };
    void attempt();
  }
}

export async function watchPrefix<T>(
  kv: KvStore,
  prefix: string,
  options: ResourceWatchOptions,
  listener: (event: ResourceEvent<T>) => void,
): Promise<ResourceWatchHandle> {
  const watch = new ResourceWatch<T>(kv, prefix, listener);
  await watch.start(options);
  return watch;
}
