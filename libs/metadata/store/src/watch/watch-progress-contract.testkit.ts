// WatchProgress: many idle watch streams cost one store read per round, not one per stream; a
// write elsewhere costs one proof per watched prefix; progress never skips a pending change.
import type { KvStore } from '../kv/kv';
import { watchPrefix, type ResourceEvent, type ResourceWatchHandle } from './resource-watch';
import { SpyKv } from './spy-kv.testkit';
import { WatchProgress } from './watch-progress';

let roots = 0;
const STREAMS_PER_PREFIX = 10;

export function watchProgressContract(kv: () => KvStore): void {
  const until = async (what: string, predicate: () => boolean): Promise<void> => {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > 20_000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  interface Stream {
    readonly prefix: string;
    readonly handle: ResourceWatchHandle;
    readonly events: Array<ResourceEvent<string>>;
    readonly progress: bigint[];
    sentAt: number;
  }

  /** Four prefixes with one key each, STREAMS_PER_PREFIX idle streams on each, all registered. */
  const setUp = async () => {
    const root = `/watch-progress-${process.pid}-${++roots}/`;
    const spy = new SpyKv(kv());
    const put = (key: string) => spy.txn([], [{ type: 'put', key, value: JSON.stringify(key) }]);
    const prefixes = ['tenants/', 'topics/', 'partitions/', 'nodes/'].map((p) => `${root}${p}`);
    for (const prefix of prefixes) await put(`${prefix}k`);
    // A clock that never ticks by itself here: the test runs the rounds.
    const progress = new WatchProgress(spy, { probePrefix: `${root}revision-probe/`, intervalMs: 3_600_000 });
    const streams: Stream[] = [];
    const unregister: Array<() => void> = [];
    for (const prefix of prefixes) {
      for (let i = 0; i < STREAMS_PER_PREFIX; i++) {
        const events: Array<ResourceEvent<string>> = [];
        const handle = await watchPrefix<string>(spy, prefix, {}, (e) => events.push(e));
        const stream: Stream = { prefix, handle, events, progress: [], sentAt: 0 };
        streams.push(stream);
        unregister.push(progress.register({ handle, lastSentAt: () => stream.sentAt, onProgress: (r) => stream.progress.push(r) }));
      }
    }
    await until('every snapshot', () => streams.every((s) => s.events.length === 1));
    const tearDown = async () => {
      for (const u of unregister) u();
      await Promise.all(streams.map((s) => s.handle.cancel()));
    };
    return { root, spy, put, prefixes, progress, streams, tearDown };
  };

  /** Store reads made by one round. */
  const readsOf = async (spy: SpyKv, round: () => Promise<void>): Promise<number> => {
    const before = spy.reads;
    await round();
    return spy.reads - before;
  };

  it('idle streams with nothing to prove cost one read per round, however many they are', async () => {
    const { spy, progress, streams, tearDown } = await setUp();
    try {
      expect(streams).toHaveLength(4 * STREAMS_PER_PREFIX);
      for (let round = 0; round < 3; round++) expect(await readsOf(spy, () => progress.round())).toBe(1);
      // Streams that sent something within the interval are not due: no read at all.
      for (const s of streams) s.sentAt = Date.now();
      expect(await readsOf(spy, () => progress.round())).toBe(0);
    } finally {
      await tearDown();
    }
  });

  it('after a write elsewhere every stream gets progress, for one proof per prefix, then reads stay at one', async () => {
    const { root, spy, put, prefixes, progress, streams, tearDown } = await setUp();
    try {
      const elsewhere = await put(`${root}elsewhere/x`);
      // One probe, then three counts per distinct prefix (proveUnchangedSince), not per stream.
      expect(await readsOf(spy, () => progress.round())).toBe(1 + 3 * prefixes.length);
      for (const s of streams) {
        expect(s.progress).toEqual([elsewhere.revision]);
        expect(s.handle.lastRevision()).toBe(elsewhere.revision);
      }
      expect(await readsOf(spy, () => progress.round())).toBe(1);
    } finally {
      await tearDown();
    }
  });

  it('never reports progress over a change under the prefix that is not delivered yet', async () => {
    const { root, spy, put, prefixes, progress, streams, tearDown } = await setUp();
    try {
      const [changedPrefix] = prefixes as [string];
      const start = streams[0]?.handle.lastRevision() ?? 0n;
      spy.hold();
      const change = await put(`${changedPrefix}new`);
      const later = await put(`${root}elsewhere/y`);
      await progress.round();
      for (const s of streams) {
        if (s.prefix === changedPrefix) {
          // Still where it was: the pending put is not skipped.
          expect(s.progress.every((r) => r < change.revision)).toBe(true);
          expect(s.handle.lastRevision()).toBe(start);
        } else {
          expect(s.progress).toEqual([later.revision]);
        }
      }
      spy.release();
      const mine = streams.filter((s) => s.prefix === changedPrefix);
      await until('the held put', () => mine.every((s) => s.events.some((e) => e.type === 'put' && e.revision === change.revision)));
      await progress.round();
      for (const s of mine) expect(s.progress.at(-1)).toBe(later.revision);
    } finally {
      spy.release();
      await tearDown();
    }
  });

  it('runs rounds on its own clock while streams are registered', async () => {
    const spy = new SpyKv(kv());
    const root = `/watch-progress-${process.pid}-${++roots}/`;
    await spy.txn([], [{ type: 'put', key: `${root}mine/k`, value: '"k"' }]);
    const handle = await watchPrefix<string>(spy, `${root}mine/`, {}, () => undefined);
    const progress = new WatchProgress(spy, { probePrefix: `${root}revision-probe/`, intervalMs: 20 });
    const got: bigint[] = [];
    const unregister = progress.register({ handle, lastSentAt: () => 0, onProgress: (r) => got.push(r) });
    try {
      const elsewhere = await spy.txn([], [{ type: 'put', key: `${root}other/x`, value: '"x"' }]);
      await until('progress from the clock', () => got.includes(elsewhere.revision));
    } finally {
      unregister();
      await handle.cancel();
    }
  });
}
