import { tieredV1 } from '@stratus/contracts';
import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { ChunkCache, TieredReader } from '@stratus/tiered-reader';
import { MemorySegmentSource, trimPartitionData, uploadPartitionPass } from '@stratus/tiered-uploader';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryManifest, makeSegments } from './memory-manifest.testkit';
import { handleFetch } from './tiered-service';
import { TrimLedger, reapplyTrim, respectingTrims } from './trim-ledger';

const logger = { error: jest.fn(), warn: jest.fn(), info: jest.fn(), debug: jest.fn() } as unknown as Parameters<typeof handleFetch>[2];
const TOPIC = Buffer.alloc(16, 0x31);
const KEY = `${TOPIC.toString('hex')}/0`;
const address = { tenantId: 'lkc-1', topicId: TOPIC, partition: 0 };
const request = (offset: bigint) => tieredV1.FetchRequest.fromPartial({ partition: { topicId: { value: TOPIC }, partition: 0 }, offset, maxBytes: 1 << 20 });

describe('TrimLedger', () => {
  it('keeps the highest start per partition, forgets on topic deletion, and stays bounded', () => {
    const ledger = new TrimLedger(2);
    ledger.note('a/0', 10n);
    ledger.note('a/0', 5n);
    expect(ledger.logStartOf('a/0')).toBe(10n);
    ledger.note('b/0', 1n);
    ledger.note('c/0', 1n);
    expect(ledger.logStartOf('a/0')).toBeUndefined();
    expect(ledger.logStartOf('c/0')).toBe(1n);
    ledger.forget('c/0');
    expect(ledger.logStartOf('c/0')).toBeUndefined();
  });
});

describe('DeleteRecords in the tier (trim, reads, reconciliation)', () => {
  let dir: string;
  let reader: TieredReader;
  let manifest: MemoryManifest;
  let store: MemoryObjectStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tiered-trim-'));
    manifest = new MemoryManifest();
    store = new MemoryObjectStore();
    reader = new TieredReader({ manifest, store, cache: await ChunkCache.open({ dir, maxBytes: 1 << 20 }) });
    // Four segments of six offsets: [0, 6) [6, 12) [12, 18) [18, 24).
    await uploadPartitionPass({ address, source: new MemorySegmentSource(makeSegments(4)), manifest, store });
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('deletes segments wholly below the start, keeps the straddling one, and never serves below the start', async () => {
    const keysBefore = manifest.entries(address).map((e) => e.objectKey);
    const ledger = new TrimLedger();
    ledger.note(KEY, 9n);
    const trimmed = await trimPartitionData({ address, manifest, store, logStartOffset: 9n });
    expect(trimmed).toMatchObject({ segmentsDeleted: 1, tieredLogStartOffset: 6n });
    expect(await store.head(keysBefore[0] as string)).toBeUndefined();
    expect(await store.head(keysBefore[1] as string)).toBeDefined();
    const port = respectingTrims(reader, ledger, () => KEY);
    // 7 is still in the straddling segment's object, but below the log start.
    const below = await handleFetch(port, request(7n), logger);
    expect(below.error?.code).toBe(tieredV1.TieredErrorCode.OFFSET_OUT_OF_RANGE);
    expect([below.tieredLogStartOffset, below.tieredEndOffset]).toEqual([9n, 24n]);
    const gone = await handleFetch(port, request(0n), logger);
    expect(gone.error?.code).toBe(tieredV1.TieredErrorCode.OFFSET_OUT_OF_RANGE);
    const at = await handleFetch(port, request(9n), logger);
    expect(at.error).toBeUndefined();
    // The batch holding 9 starts at 8 (whole batches, as Kafka returns them); the start is 9.
    expect(Buffer.from(at.records).readBigInt64BE(0)).toBe(8n);
    expect(at.tieredLogStartOffset).toBe(9n);
  });

  it('a partition trimmed empty answers out of range with the start; one never tiered stays unknown', async () => {
    const keys = manifest.entries(address).map((e) => e.objectKey);
    const ledger = new TrimLedger();
    ledger.note(KEY, 24n);
    await trimPartitionData({ address, manifest, store, logStartOffset: 24n });
    expect(manifest.entries(address)).toEqual([]);
    for (const key of keys) expect(await store.head(key)).toBeUndefined();
    const port = respectingTrims(reader, ledger, () => KEY);
    // The manifest is empty now: the broker keeps its hot answer (nothing tiered).
    expect((await handleFetch(port, request(3n), logger)).error?.code).toBe(tieredV1.TieredErrorCode.UNKNOWN_PARTITION);
  });

  it('the retention round re-applies a trim: an entry an upload pass added below the start after the trim is removed', async () => {
    const ledger = new TrimLedger();
    const trim = (logStartOffset: bigint) => trimPartitionData({ address, manifest, store, logStartOffset });
    ledger.note(KEY, 12n);
    const early = manifest.entries(address).filter((e) => e.endOffset <= 12n);
    // The trim ran while an upload pass was committing [0, 6) and [6, 12) (read from a replica
    // before it deleted them) ...
    await trim(12n);
    // ... and the pass's AddSegments landed afterwards.
    await manifest.add(early);
    expect(manifest.entries(address).map((e) => e.baseOffset)).toEqual([0n, 6n, 12n, 18n]);
    expect(await reapplyTrim(KEY, ledger, trim)).toBe(2);
    expect(manifest.entries(address).map((e) => e.baseOffset)).toEqual([12n, 18n]);
    expect(await reapplyTrim(KEY, ledger, trim)).toBe(0);
    expect(await reapplyTrim('other/0', ledger, trim)).toBe(0);
  });
});
