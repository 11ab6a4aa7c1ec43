// The ReplicationService over a real loopback gRPC server and a real data directory.
import { open, readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32c } from '@node-rs/crc32';
import { replicationV1 } from '@stratus/contracts';
import { partitionKey } from '@stratus/replication-partition-log';
import { TOPIC_ID, appendStream, batch, partition, rpc, startNode, type Node } from './test-support';

const Code = replicationV1.ReplicaErrorCode;

async function fence(node: Node, epoch: number, index = 0) {
  return rpc(node.client).fence({ partition: partition(index), epoch, leaderNodeId: 'b1' });
}

async function appendAll(node: Node, epoch: number, from: bigint, n: number, tag = ''): Promise<Buffer[]> {
  const s = appendStream(node.client);
  const sent: Buffer[] = [];
  const acks = [];
  for (let o = from; o < from + BigInt(n); o++) {
    const records = batch(o, epoch, 1, tag);
    sent.push(records);
    acks.push(s.send({ partition: partition(), epoch, baseOffset: o, endOffset: o + 1n, records }));
  }
  for (const ack of await Promise.all(acks)) expect(ack.error).toBeUndefined();
  await s.end();
  return sent;
}

async function readAll(node: Node, from: bigint, to: bigint): Promise<Buffer> {
  const parts: Buffer[] = [];
  let at = from;
  while (at < to) {
    const res = await rpc(node.client).read({ partition: partition(), offset: at, maxBytes: 4096, maxOffset: to });
    if (res.error) throw new Error(`read ${at}: ${res.error.message}`);
    if (res.records.length === 0) break;
    parts.push(Buffer.from(res.records));
    at = res.nextOffset;
  }
  return Buffer.concat(parts);
}

describe('ReplicationService over gRPC', () => {
  let node: Node;
  let peer: Node;
  beforeEach(async () => {
    node = await startNode({ segmentBytes: 4096 });
    peer = await startNode({ segmentBytes: 4096 });
  });
  afterEach(async () => {
    await node.stop();
    await peer.stop();
  });

  it('fence creates the replica, reports state, and refuses older epochs', async () => {
    const unknown = await rpc(node.client).getLogState({ partition: partition() });
    expect(unknown.error?.code).toBe(Code.UNKNOWN_PARTITION);
    const bad = await rpc(node.client).fence({ partition: { topicId: { value: Buffer.alloc(3) }, partition: 0 }, epoch: 1, leaderNodeId: '' });
    expect(bad.error?.code).toBe(Code.INVALID_REQUEST);
    const first = await fence(node, 4);
    expect(first.error).toBeUndefined();
    expect(first.state).toMatchObject({ promisedEpoch: 4, logStartOffset: 0n, logEndOffset: 0n, epochHistory: [] });
    const older = await fence(node, 3);
    expect(older.error?.code).toBe(Code.FENCED);
    expect(older.state?.promisedEpoch).toBe(4);
  });

  it('pipelined appends are acknowledged in order with the new log end; bad appends are refused', async () => {
    await fence(node, 1);
    const s = appendStream(node.client);
    const acks = [];
    for (let o = 0n; o < 50n; o++) acks.push(s.send({ partition: partition(), epoch: 1, baseOffset: o * 2n, endOffset: o * 2n + 2n, records: batch(o * 2n, 1, 2) }));
    const done = await Promise.all(acks);
    expect(done.map((a) => a.logEndOffset)).toEqual(Array.from({ length: 50 }, (_, i) => BigInt(i * 2 + 2)));
    expect(s.acks.map((a) => a.logEndOffset)).toEqual(done.map((a) => a.logEndOffset));
    const gap = await s.send({ partition: partition(), epoch: 1, baseOffset: 105n, endOffset: 106n, records: batch(105n, 1) });
    expect(gap.error?.code).toBe(Code.OUT_OF_ORDER);
    expect(gap.logEndOffset).toBe(100n);
    const wrongEnd = await s.send({ partition: partition(), epoch: 1, baseOffset: 100n, endOffset: 102n, records: batch(100n, 1) });
    expect(wrongEnd.error?.code).toBe(Code.CORRUPT);
    const notFenced = await s.send({ partition: partition(), epoch: 2, baseOffset: 100n, endOffset: 101n, records: batch(100n, 2) });
    expect(notFenced.error?.code).toBe(Code.NOT_FENCED);
    const unknown = await s.send({ partition: partition(7), epoch: 1, baseOffset: 0n, endOffset: 1n, records: batch(0n, 1) });
    expect(unknown.error?.code).toBe(Code.UNKNOWN_PARTITION);
    await s.end();
    const read = await rpc(node.client).read({ partition: partition(), offset: 3n, maxBytes: 1, maxOffset: 100n });
    expect(Buffer.from(read.records)).toEqual(batch(2n, 1, 2));
    expect(read).toMatchObject({ nextOffset: 4n, logStartOffset: 0n, logEndOffset: 100n });
    const capped = await rpc(node.client).read({ partition: partition(), offset: 98n, maxBytes: 1 << 20, maxOffset: 99n });
    expect(capped.records.length).toBe(0);
  });

  it('a leader that cancels its Append stream mid-flight leaves a consistent log and a working node', async () => {
    await fence(node, 1);
    const stream = node.client.append();
    stream.on('error', () => undefined);
    for (let o = 0n; o < 30n; o++) stream.write({ requestId: o, partition: partition(), epoch: 1, baseOffset: o, endOffset: o + 1n, records: batch(o, 1), committedOffset: 0n, forceFlush: false });
    stream.cancel();
    // Appends the server already received still complete; wait until the log end stops moving.
    let end = -1n;
    for (let stable = 0; stable < 3; ) {
      await new Promise((r) => setTimeout(r, 100));
      const now = (await rpc(node.client).getLogState({ partition: partition() })).state?.logEndOffset ?? -1n;
      stable = now === end ? stable + 1 : 0;
      end = now;
    }
    expect(end).toBeGreaterThanOrEqual(0n);
    expect(end).toBeLessThanOrEqual(30n);
    // Whatever arrived is a dense prefix, and the leader continues from the reported end.
    expect((await readAll(node, 0n, end)).length).toBe(Buffer.concat(Array.from({ length: Number(end) }, (_, i) => batch(BigInt(i), 1))).length);
    await appendAll(node, 1, end, 5);
    expect((await rpc(node.client).getLogState({ partition: partition() })).state?.logEndOffset).toBe(end + 5n);
  });

  it('two leaders appending concurrently: the older epoch loses as soon as the newer fences', async () => {
    await fence(node, 1);
    const old = appendStream(node.client);
    const oldAcks = [];
    for (let o = 0n; o < 10n; o++) oldAcks.push(old.send({ partition: partition(), epoch: 1, baseOffset: o, endOffset: o + 1n, records: batch(o, 1) }));
    await Promise.all(oldAcks);
    const fenced = await fence(node, 2);
    expect(fenced.state?.logEndOffset).toBe(10n);
    const neu = appendStream(node.client);
    expect((await rpc(node.client).markEpochStart({ partition: partition(), epoch: 2, startOffset: 10n })).error).toBeUndefined();
    const [stale, fresh] = await Promise.all([
      old.send({ partition: partition(), epoch: 1, baseOffset: 10n, endOffset: 11n, records: batch(10n, 1, 1, 'old') }),
      neu.send({ partition: partition(), epoch: 2, baseOffset: 10n, endOffset: 11n, records: batch(10n, 2, 1, 'new') }),
    ]);
    expect(stale.error?.code).toBe(Code.FENCED);
    expect(stale.promisedEpoch).toBe(2);
    expect(fresh.error).toBeUndefined();
    await old.end();
    await neu.end();
    expect((await readAll(node, 10n, 11n)).equals(batch(10n, 2, 1, 'new'))).toBe(true);
    const state = await rpc(node.client).getLogState({ partition: partition() });
    expect(state.state?.epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 2, startOffset: 10n }]);
  });

  it('truncates a divergent tail, marks the new epoch, and repairs a lagging replica from a peer', async () => {
    await fence(peer, 1);
    const sent = await appendAll(peer, 1, 0n, 60);
    await fence(node, 1);
    await appendAll(node, 1, 0n, 20);
    // The node also holds a divergent uncommitted tail from another leader it must drop.
    await fence(node, 2);
    await appendAll(node, 2, 20n, 5, 'divergent');
    await fence(node, 3);
    await fence(peer, 3);
    const truncated = await rpc(node.client).truncate({ partition: partition(), epoch: 3, offset: 20n });
    expect(truncated.state).toMatchObject({ logEndOffset: 20n, epochHistory: [{ epoch: 1, startOffset: 0n }] });
    const repaired = await rpc(node.client).repair({
      partition: partition(),
      epoch: 3,
      startOffset: 20n,
      endOffset: 60n,
      sourceNodeId: 'peer',
      sourceAddress: peer.address,
      sourceEpochHistory: [{ epoch: 1, startOffset: 0n }],
    });
    expect(repaired.error).toBeUndefined();
    expect(repaired.state?.logEndOffset).toBe(60n);
    expect(repaired.bytesCopied).toBe(BigInt(Buffer.concat(sent.slice(20)).length));
    expect((await readAll(node, 0n, 60n)).equals(Buffer.concat(sent))).toBe(true);
    const mark = await rpc(node.client).markEpochStart({ partition: partition(), epoch: 3, startOffset: 60n });
    expect(mark.state?.epochHistory).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 3, startOffset: 60n }]);
    const stale = await rpc(node.client).repair({ partition: partition(), epoch: 2, startOffset: 60n, endOffset: 61n, sourceNodeId: '', sourceAddress: peer.address, sourceEpochHistory: [] });
    expect(stale.error?.code).toBe(Code.FENCED);
    const unreachable = await rpc(node.client).repair({ partition: partition(), epoch: 3, startOffset: 60n, endOffset: 61n, sourceNodeId: '', sourceAddress: '127.0.0.1:1', sourceEpochHistory: [] });
    expect(unreachable.error?.code).toBe(Code.PEER_UNAVAILABLE);
  });

  it('moves the logical log start under the promised epoch (DeleteRecords): reads below it are out of range, the state reports it', async () => {
    await fence(node, 2);
    await appendAll(node, 2, 0n, 200);
    const del = (epoch: number, offset: bigint) => rpc(node.client).deleteSegmentsBefore({ partition: partition(), offset, scope: replicationV1.DeleteScope.LOG_START, epoch });
    expect((await del(1, 50n)).error?.code).toBe(Code.FENCED);
    expect((await del(3, 50n)).error?.code).toBe(Code.NOT_FENCED);
    expect((await del(2, 201n)).error?.code).toBe(Code.OFFSET_OUT_OF_RANGE);
    const moved = await del(2, 150n);
    expect(moved.error).toBeUndefined();
    expect(moved.segmentsDeleted).toBeGreaterThan(0);
    expect(moved.state?.logStartOffset).toBe(150n);
    expect(moved.state?.localLogStartOffset).toBeLessThanOrEqual(150n);
    const below = await rpc(node.client).read({ partition: partition(), offset: 149n, maxBytes: 4096, maxOffset: 200n });
    expect(below.error?.code).toBe(Code.OFFSET_OUT_OF_RANGE);
    expect(below.logStartOffset).toBe(150n);
    const at = await rpc(node.client).read({ partition: partition(), offset: 150n, maxBytes: 1, maxOffset: 200n });
    expect(at.error).toBeUndefined();
    expect(at.nextOffset).toBe(151n);
    expect((await fence(node, 3)).state?.logStartOffset).toBe(150n);
    expect((await rpc(node.client).getLogState({ partition: partition() })).state?.logStartOffset).toBe(150n);
  });

  it('a flipped byte is reported as CORRUPT over the wire, and repair from a peer restores the bytes', async () => {
    await fence(peer, 1);
    await fence(node, 1);
    const sent = await appendAll(peer, 1, 0n, 40);
    const s = appendStream(node.client);
    await Promise.all(sent.map((records, i) => s.send({ partition: partition(), epoch: 1, baseOffset: BigInt(i), endOffset: BigInt(i) + 1n, records })));
    await s.end();
    const dir = join(node.dataDir, (await readdir(node.dataDir))[0] as string);
    // Flip a byte inside batch 3, wherever grouping and rolling put it (batches 0..9 have one size).
    const seg = node.store.get(partitionKey(TOPIC_ID.toString('hex'), 0))?.segmentsInfo().find((x) => x.baseOffset <= 3n && 3n < x.nextOffset);
    const base = seg?.baseOffset ?? 0n;
    const fh = await open(join(dir, `${base.toString().padStart(20, '0')}.log`), 'r+');
    const pos = (sent[0] as Buffer).length * Number(3n - base) + 70;
    const one = Buffer.alloc(1);
    expect(await fh.read(one, 0, 1, pos)).toEqual(expect.objectContaining({ bytesRead: 1 }));
    one[0] = (one[0] as number) ^ 0x10;
    await fh.write(one, 0, 1, pos);
    await fh.close();
    const bad = await rpc(node.client).read({ partition: partition(), offset: 3n, maxBytes: 1 << 20, maxOffset: 40n });
    expect(bad.error?.code).toBe(Code.CORRUPT);
    expect(bad.records.length).toBe(0);
    expect(node.store.corruptionCount).toBe(1);
    await fence(node, 2);
    await fence(peer, 2);
    expect((await rpc(node.client).truncate({ partition: partition(), epoch: 2, offset: 3n })).error).toBeUndefined();
    const repaired = await rpc(node.client).repair({ partition: partition(), epoch: 2, startOffset: 3n, endOffset: 40n, sourceNodeId: 'peer', sourceAddress: peer.address, sourceEpochHistory: [] });
    expect(repaired.error).toBeUndefined();
    expect((await readAll(node, 0n, 40n)).equals(Buffer.concat(sent))).toBe(true);
  });

  it('lists sealed segments (committed ones marked) and streams them with matching CRC32C', async () => {
    await fence(node, 1);
    const s = appendStream(node.client);
    const acks = [];
    for (let o = 0n; o < 80n; o++) acks.push(s.send({ partition: partition(), epoch: 1, baseOffset: o, endOffset: o + 1n, records: batch(o, 1), committedOffset: o > 40n ? 40n : o }));
    await Promise.all(acks);
    await s.end();
    const all = await rpc(node.client).listSealedSegments({ partition: partition(), fromOffset: 0n, page: undefined });
    const replica = node.store.get(partitionKey(TOPIC_ID.toString('hex'), 0));
    expect(all.segments.length).toBe(replica?.sealedSegments().length);
    expect(all.segments.length).toBeGreaterThanOrEqual(2);
    expect(all.page?.nextPageToken).toBe('');
    const list = await rpc(node.client).listSealedSegments({ partition: partition(), fromOffset: 0n, page: { pageSize: 1, pageToken: '' } });
    expect(list.error).toBeUndefined();
    expect(list.segments.length).toBe(1);
    expect(list.page?.nextPageToken).not.toBe('');
    expect(list.committedOffset).toBe(40n);
    const dir = join(node.dataDir, (await readdir(node.dataDir))[0] as string);
    for (const seg of list.segments) {
      const file = await readFile(join(dir, `${seg.baseOffset.toString().padStart(20, '0')}.log`));
      expect(seg.crc32c).toBe(crc32c(file) >>> 0);
      expect(seg.committed).toBe(seg.endOffset <= 40n);
    }
    const rest = await rpc(node.client).listSealedSegments({ partition: partition(), fromOffset: 0n, page: { pageSize: 100, pageToken: list.page?.nextPageToken ?? '' } });
    expect(rest.segments).toEqual(all.segments.slice(1));
    expect(all.segments.map((x) => x.committed)).toEqual(all.segments.map((x) => x.endOffset <= 40n));
    expect(all.segments.some((x) => x.committed)).toBe(true);

    const first = list.segments[0] as replicationV1.SealedSegment;
    const stream = node.client.readSegment({ partition: partition(), baseOffset: first.baseOffset, chunkSizeBytes: 1000 });
    const events: replicationV1.ReadSegmentResponse[] = [];
    await new Promise<void>((resolve, reject) => {
      stream.on('data', (e: replicationV1.ReadSegmentResponse) => events.push(e));
      stream.on('end', () => resolve());
      stream.on('error', reject);
    });
    expect(events[0]?.event?.$case).toBe('header');
    const chunks = events.filter((e) => e.event?.$case === 'chunk').map((e) => (e.event as { value: replicationV1.ReadSegmentChunk }).value);
    for (const c of chunks) expect(c.crc32c).toBe(crc32c(Buffer.from(c.data)) >>> 0);
    const trailer = events[events.length - 1]?.event;
    expect(trailer?.$case).toBe('trailer');
    expect((trailer as { value: replicationV1.ReadSegmentTrailer }).value).toEqual({ sizeBytes: first.sizeBytes, crc32c: first.crc32c });
    expect(Buffer.concat(chunks.map((c) => Buffer.from(c.data))).length).toBe(Number(first.sizeBytes));
  });
});
