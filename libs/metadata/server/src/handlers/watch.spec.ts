// Watch streams share the store's one progress clock: N idle streams cost one store read per
// round, a write elsewhere reaches every stream as `progress`, and ended streams leave the clock.
import { EventEmitter } from 'node:events';
import { metadataV1 } from '@stratus/contracts';
import { MemoryKvStore, MetadataStore, type KvCount, type KvCountOptions, type KvEntry, type KvRange } from '@stratus/metadata-store';
import { watchHandlers } from './watch';

/** Counts reads: on etcd each is one Range request. */
class CountingKv extends MemoryKvStore {
  reads = 0;
  override get(key: string): Promise<KvEntry | undefined> {
    this.reads++;
    return super.get(key);
  }
  override range(prefix: string): Promise<KvRange> {
    this.reads++;
    return super.range(prefix);
  }
  override count(prefix: string, options?: KvCountOptions): Promise<KvCount> {
    this.reads++;
    return super.count(prefix, options);
  }
}

/** The part of a grpc-js server stream that the watch handlers use. */
class FakeStream extends EventEmitter {
  cancelled = false;
  readonly messages: Array<{ revision: bigint; event?: { $case: string } }> = [];
  constructor(readonly request: unknown) {
    super();
  }
  write(message: { revision: bigint; event?: { $case: string } }): boolean {
    this.messages.push(message);
    return true;
  }
  cancel(): void {
    this.cancelled = true;
    this.emit('cancelled');
  }
}

const STREAMS_PER_FAMILY = 5;
const INTERVAL_MS = 60_000;
/** A moment at which every stream has been idle for longer than the interval. */
const later = () => Date.now() + 2 * INTERVAL_MS;

describe('watch streams and the shared progress clock', () => {
  const kv = new CountingKv();
  // The clock's own timer would tick only after an hour here: the test runs the rounds itself.
  const store = new MetadataStore({ kv, watchProgressIntervalMs: INTERVAL_MS });
  const handlers = watchHandlers(store);
  const streams: FakeStream[] = [];
  afterAll(async () => {
    for (const s of streams) s.cancel();
    await kv.close();
  });

  const readsOf = async (round: () => Promise<void>): Promise<number> => {
    const before = kv.reads;
    await round();
    return kv.reads - before;
  };
  const progressOf = (s: FakeStream) => s.messages.filter((m) => m.event?.$case === 'progress').map((m) => m.revision);

  it('N idle streams of six families: one read per round, one proof per family after a write elsewhere', async () => {
    await kv.txn([], [{ type: 'put', key: `${store.keys.root}elsewhere/a`, value: '"a"' }]);
    const open: Array<[keyof typeof handlers, unknown]> = [
      ['watchTenants', metadataV1.WatchTenantsRequest.fromPartial({})],
      ['watchTopics', metadataV1.WatchTopicsRequest.fromPartial({})],
      ['watchPartitions', metadataV1.WatchPartitionsRequest.fromPartial({})],
      ['watchNodes', metadataV1.WatchNodesRequest.fromPartial({})],
      ['watchApiKeys', metadataV1.WatchApiKeysRequest.fromPartial({})],
      ['watchAcls', metadataV1.WatchAclsRequest.fromPartial({})],
    ];
    for (const [method, request] of open) {
      for (let i = 0; i < STREAMS_PER_FAMILY; i++) {
        const stream = new FakeStream(request);
        streams.push(stream);
        (handlers[method] as (call: unknown) => void)(stream);
      }
    }
    const deadline = Date.now() + 10_000;
    while (!streams.every((s) => s.messages.some((m) => m.event?.$case === 'snapshotComplete'))) {
      if (Date.now() > deadline) throw new Error('snapshots did not complete');
      await new Promise((r) => setTimeout(r, 5));
    }
    // Wait for every stream to register (after its snapshot): a round with all of them reads once.
    await new Promise((r) => setImmediate(r));

    for (let round = 0; round < 3; round++) expect(await readsOf(() => store.watchProgress.round(later()))).toBe(1);
    expect(streams.every((s) => progressOf(s).length === 0)).toBe(true);
    // Streams that just sent something are not due: no read at all.
    expect(await readsOf(() => store.watchProgress.round(Date.now() - INTERVAL_MS))).toBe(0);

    const elsewhere = await kv.txn([], [{ type: 'put', key: `${store.keys.root}elsewhere/b`, value: '"b"' }]);
    // One probe, then three counts per distinct watched prefix (six families), not per stream.
    expect(await readsOf(() => store.watchProgress.round(later()))).toBe(1 + 3 * open.length);
    for (const s of streams) expect(progressOf(s)).toEqual([elsewhere.revision]);
    expect(await readsOf(() => store.watchProgress.round(later()))).toBe(1);
    for (const s of streams) expect(progressOf(s)).toEqual([elsewhere.revision]);
  });

  it('ended streams leave the clock: a round with none left reads nothing', async () => {
    for (const s of streams) s.cancel();
    await kv.txn([], [{ type: 'put', key: `${store.keys.root}elsewhere/c`, value: '"c"' }]);
    expect(await readsOf(() => store.watchProgress.round(later()))).toBe(0);
  });
});
