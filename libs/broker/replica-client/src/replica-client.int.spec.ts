// The adapter against three REAL replication processes (dist/apps/replication/main.js; the
// integration target builds it first): the contract's refusals arrive as the port's values, and
// the broker-partition core (recoverLeadership + PartitionLeader) runs over GrpcReplicaPorts
// through leader change, SIGKILL, SIGSTOP/SIGCONT and a node restarting at a new address.
import { ErrorCode } from '@stratus/kafka-errors';
import { buildBatch, readRecords } from '@stratus/kafka-records';
import { epoch, PartitionLeader, recoverLeadership, type ReplicaPort, type StopReason } from '@stratus/broker-partition';
import { makeTempDir, startApp, useHarness, waitFor, type AppHandle } from '@stratus/platform-testing';
import { ReplicationClientPool } from './client-pool';
import { replicaPartition, toPartitionRef, type ReplicaPartition } from './partition';
import { replicationV1 } from '@stratus/contracts';

jest.setTimeout(180_000);

const TOPIC = Buffer.from('0f1e2d3c4b5a69788796a5b4c3d2e1f0', 'hex');
const NODES = ['repl-a', 'repl-b', 'repl-c'] as const;

interface Cluster {
  readonly nodes: Map<string, AppHandle>;
  readonly dataDirs: Map<string, string>;
  /** The resolver the pool reads: what a broker would learn from its metadata watch. */
  readonly addresses: Map<string, string>;
  readonly pool: ReplicationClientPool;
  ports(partition: ReplicaPartition): ReplicaPort[];
  restart(nodeId: string): Promise<void>;
}

async function startNode(nodeId: string, dataDir: string, env: Record<string, string> = {}): Promise<AppHandle> {
  const app = await startApp('replication', { env: { STRATUS_NODE_ID: nodeId, STRATUS_DATA_DIR: dataDir, ...env } });
  await app.waitReady();
  return app;
}

async function startCluster(env: Record<string, string> = {}): Promise<Cluster> {
  const nodes = new Map<string, AppHandle>();
  const dataDirs = new Map<string, string>();
  const addresses = new Map<string, string>();
  await Promise.all(
    NODES.map(async (id) => {
      const dir = await makeTempDir(`replica-client-${id}`);
      dataDirs.set(id, dir.path);
      const app = await startNode(id, dir.path, env);
      nodes.set(id, app);
      addresses.set(id, app.grpcAddress);
    }),
  );
  // Short deadlines so that a paused node is noticed within a test's patience.
  const pool = new ReplicationClientPool({ resolve: (id) => addresses.get(id), leaderNodeId: 'broker-test', callTimeoutMs: 1_500, appendTimeoutMs: 1_500, repairTimeoutMs: 30_000 });
  return {
    nodes,
    dataDirs,
    addresses,
    pool,
    ports: (partition) => NODES.map((id) => pool.portFor(id, partition)),
    restart: async (nodeId) => {
      const app = await startNode(nodeId, dataDirs.get(nodeId) as string, env);
      nodes.set(nodeId, app);
      addresses.set(nodeId, app.grpcAddress);
    },
  };
}

const batchOf = (values: readonly string[]): Buffer => buildBatch({ records: values.map((value) => ({ value })), baseTimestamp: 1_700_000_000_000n });

/** Every record value from `from` up to the high watermark, fetched through the leader. */
async function fetchAll(leader: PartitionLeader, from = 0n): Promise<{ offset: bigint; value: string }[]> {
  const out: { offset: bigint; value: string }[] = [];
  let at = from;
  for (;;) {
    const r = await leader.fetch({ offset: at, maxBytes: 64 * 1024 });
    if (!r.ok) throw new Error(`fetch at ${at}: ${r.error.code} ${r.error.message}`);
    if (r.value.records.length === 0) return out;
    let pos = 0;
    while (pos < r.value.records.length) {
      const size = r.value.records.readInt32BE(pos + 8) + 12;
      const decoded = readRecords(r.value.records.subarray(pos, pos + size));
      if (!decoded.ok) throw new Error(decoded.error.message);
      for (const rec of decoded.value) if (rec.offset >= from) out.push({ offset: rec.offset, value: rec.value?.toString('utf8') ?? '' });
      pos += size;
    }
    at = r.value.nextOffset;
  }
}

async function produceAll(leader: PartitionLeader, tag: string, batches: number, perBatch = 5): Promise<string[]> {
  const values: string[] = [];
  const pending = [];
  for (let b = 0; b < batches; b++) {
    const vs = Array.from({ length: perBatch }, (_, i) => `${tag}-${b}-${i}`);
    values.push(...vs);
    pending.push(leader.produce({ records: batchOf(vs), acks: -1 }));
  }
  for (const r of await Promise.all(pending)) {
    if (!r.ok) throw new Error(`produce ${tag}: ${r.error.code} ${r.error.message}`);
  }
  return values;
}

/** Waits until the replica's log ends at `end`, then checks it holds the very bytes the leader serves. */
async function expectReplicaMatches(port: ReplicaPort, leader: PartitionLeader, end: bigint): Promise<void> {
  await waitFor(
    async () => {
      const r = await port.read({ offset: 0n, maxBytes: 1, maxOffset: end });
      return r.ok && r.value.logEnd === end;
    },
    { description: `replica ${port.id} to reach log end ${end}`, timeoutMs: 10_000 },
  );
  const onReplica: Buffer[] = [];
  for (let at = 0n; at < end; ) {
    const r = await port.read({ offset: at, maxBytes: 64 * 1024, maxOffset: end });
    if (!r.ok || r.value.nextOffset <= at) throw new Error(`read ${port.id} at ${at}: ${JSON.stringify(r)}`);
    onReplica.push(r.value.records);
    at = r.value.nextOffset;
  }
  const served: Buffer[] = [];
  for (let at = 0n; at < end; ) {
    const r = await leader.fetch({ offset: at, maxBytes: 64 * 1024 });
    if (!r.ok || r.value.nextOffset <= at) throw new Error(`fetch at ${at}: ${JSON.stringify(r)}`);
    served.push(r.value.records);
    at = r.value.nextOffset;
  }
  expect(Buffer.concat(onReplica).equals(Buffer.concat(served))).toBe(true);
}

interface LeaderExtras {
  readonly onStop?: (r: StopReason) => void;
  readonly tailCacheBytes?: number;
  /** Another pool over the same nodes (default: the cluster's). */
  readonly pool?: ReplicationClientPool;
}

async function startLeader(cluster: Cluster, partition: ReplicaPartition, e: number, { pool, ...extra }: LeaderExtras = {}): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({
    epoch: epoch(e),
    replicas: pool ? NODES.map((id) => pool.portFor(id, partition)) : cluster.ports(partition),
    minInsyncReplicas: 2,
    maxMessageBytes: 1024 * 1024,
    retryBackoffMs: 100,
    ...extra,
  });
  if (!started.ok) throw new Error(`leader epoch ${e}: ${JSON.stringify(started.error)}`);
  return started.value;
}

describe('broker-replica-client against three replication processes', () => {
  useHarness();
  let cluster: Cluster;
  beforeEach(async () => {
    cluster = await startCluster();
  });
  afterEach(() => cluster.pool.close());

  it('maps the replica rules of real nodes to port values', async () => {
    const p = replicaPartition(TOPIC, 0);
    const port = cluster.pool.portFor('repl-a', p);
    // Nothing there yet: epoch-gated calls say "fence first", reads have nothing to serve.
    expect(await port.truncate(epoch(1), 0n)).toEqual({ ok: false, error: { code: 'NOT_FENCED', promisedEpoch: undefined } });
    expect(await port.read({ offset: 0n, maxBytes: 1024, maxOffset: 10n })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('UNKNOWN_PARTITION') } });

    expect(await port.fence(epoch(3))).toEqual({ ok: true, value: { promisedEpoch: 3, logStart: 0n, durableLogStart: 0n, logEnd: 0n, epochHistory: [] } });
    expect(await port.fence(epoch(2))).toEqual({ ok: false, error: { code: 'FENCED', promisedEpoch: 3 } });
    const records = buildBatch({ records: [{ value: 'a' }, { value: 'b' }], baseOffset: 0n, partitionLeaderEpoch: 3, baseTimestamp: 1n });
    expect(await port.append({ epoch: epoch(4), baseOffset: 0n, endOffset: 2n, records, committedOffset: 0n })).toEqual({ ok: false, error: { code: 'NOT_FENCED', promisedEpoch: 3 } });
    expect(await port.append({ epoch: epoch(2), baseOffset: 0n, endOffset: 2n, records, committedOffset: 0n })).toEqual({ ok: false, error: { code: 'FENCED', promisedEpoch: 3 } });
    expect(await port.append({ epoch: epoch(3), baseOffset: 0n, endOffset: 3n, records, committedOffset: 0n })).toMatchObject({ ok: false, error: { code: 'CORRUPT' } });
    expect(await port.append({ epoch: epoch(3), baseOffset: 0n, endOffset: 2n, records, committedOffset: 0n })).toEqual({ ok: true, value: { logEnd: 2n } });
    expect(await port.append({ epoch: epoch(3), baseOffset: 5n, endOffset: 7n, records, committedOffset: 0n })).toEqual({ ok: false, error: { code: 'OUT_OF_ORDER', logEnd: 2n } });
    expect(await port.truncate(epoch(3), 9n)).toEqual({ ok: false, error: { code: 'OFFSET_OUT_OF_RANGE', logStart: 0n, logEnd: 2n } });
    expect(await port.markEpochStart(epoch(3), 1n)).toEqual({ ok: false, error: { code: 'OUT_OF_ORDER', logEnd: 2n } });
    const read = await port.read({ offset: 0n, maxBytes: 1024, maxOffset: 2n });
    expect(read).toMatchObject({ ok: true, value: { nextOffset: 2n, logStart: 0n, logEnd: 2n } });
    expect(read.ok && read.value.records.equals(records)).toBe(true);

    // Repair pulls from the peer whose address the pool resolves.
    const peer = cluster.pool.portFor('repl-b', p);
    expect((await peer.fence(epoch(3))).ok).toBe(true);
    const repaired = await peer.repair({ epoch: epoch(3), startOffset: 0n, endOffset: 2n, source: port.id, sourceEpochHistory: [{ epoch: epoch(3), startOffset: 0n }] });
    expect(repaired).toEqual({ ok: true, value: { promisedEpoch: 3, logStart: 0n, durableLogStart: 0n, logEnd: 2n, epochHistory: [{ epoch: 3, startOffset: 0n }] } });
    const unknownPeer = await peer.repair({ epoch: epoch(3), startOffset: 2n, endOffset: 4n, source: 'repl-x' as typeof port.id, sourceEpochHistory: [] });
    expect(unknownPeer).toMatchObject({ ok: false, error: { code: 'PEER_UNAVAILABLE' } });

    // DeleteRecords: DeleteSegmentsBefore(LOG_START) under the promised epoch.
    expect(await port.advanceLogStart(epoch(2), 1n)).toEqual({ ok: false, error: { code: 'FENCED', promisedEpoch: 3 } });
    expect(await port.advanceLogStart(epoch(3), 9n)).toEqual({ ok: false, error: { code: 'OFFSET_OUT_OF_RANGE', logStart: 0n, logEnd: 2n } });
    expect(await port.advanceLogStart(epoch(3), 1n)).toMatchObject({ ok: true, value: { logStart: 1n, logEnd: 2n } });
    expect(await port.read({ offset: 0n, maxBytes: 1024, maxOffset: 2n })).toEqual({ ok: false, error: { code: 'OFFSET_OUT_OF_RANGE', logStart: 1n, logEnd: 2n } });
  });

  it('DeleteRecords moves the log start on the real nodes, and the next leader learns it from them', async () => {
    const p = replicaPartition(TOPIC, 5);
    const first = await startLeader(cluster, p, 1);
    await produceAll(first, 'd', 20);
    expect(await first.deleteRecords(42n)).toEqual({ ok: true, value: { lowWatermark: 42n } });
    expect(await first.fetch({ offset: 41n, maxBytes: 1024 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    const second = await startLeader(cluster, p, 2);
    expect(second.snapshot()).toMatchObject({ logStart: 42n, highWatermark: 100n });
    expect(await second.fetch({ offset: 41n, maxBytes: 1024 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    const at = await second.fetch({ offset: 42n, maxBytes: 1024 });
    expect(at).toMatchObject({ ok: true, value: { logStartOffset: 42n } });
  });

  it('multiplexes the appends of many partitions over one stream per node', async () => {
    // Generous deadlines here: on a loaded host a stalled-stream reset would open a second stream.
    const pool = new ReplicationClientPool({ resolve: (id) => cluster.addresses.get(id), callTimeoutMs: 30_000, appendTimeoutMs: 30_000 });
    try {
      const leaders = await Promise.all([0, 1, 2, 3].map((i) => startLeader(cluster, replicaPartition(TOPIC, 10 + i), 1, { pool })));
      // Recovery needs only a quorum; wait for the third replica so that every node gets appends.
      await waitFor(() => leaders.every((l) => l.snapshot().inSync.length === 3), { description: 'all replicas in sync', timeoutMs: 20_000 });
      await Promise.all(leaders.map((l, i) => produceAll(l, `p${i}`, 20)));
      // acks=all completes on 2 of 3 acks; the third may still be on its way.
      await waitFor(() => NODES.every((id) => pool.client(id)?.appendStats().inFlight === 0), { description: 'every ack in', timeoutMs: 10_000 });
      // One stream per node carried all four partitions (it was never re-opened).
      for (const id of NODES) expect(pool.client(id)?.appendStats()).toEqual({ streamsOpened: 1, inFlight: 0, timedOut: 0 });
      for (const [i, l] of leaders.entries()) {
        expect((await fetchAll(l)).map((r) => r.value)).toEqual(Array.from({ length: 100 }, (_, k) => `p${i}-${Math.floor(k / 5)}-${k % 5}`));
      }
    } finally {
      pool.close();
    }
  });

  it('produces with acks=all, reads back from the tail cache and from replicas, and a newer leader fences the old one', async () => {
    const p = replicaPartition(TOPIC, 1);
    const stops: StopReason[] = [];
    // A tiny tail cache so that most fetches go to a replica's Read.
    const first = await startLeader(cluster, p, 1, { onStop: (r) => stops.push(r), tailCacheBytes: 2_048 });
    const written = await produceAll(first, 'e1', 40);
    expect(first.snapshot()).toMatchObject({ highWatermark: 200n, logEnd: 200n, serving: true });
    expect((await fetchAll(first)).map((r) => r.value)).toEqual(written);

    // Epoch 2 takes over through the same nodes (a broker on another host would do the same).
    const second = await startLeader(cluster, p, 2);
    expect(second.snapshot()).toMatchObject({ highWatermark: 200n, serving: true });
    // Recovery goes on with the first quorum of answers; the third replica joins in the background.
    await waitFor(() => second.snapshot().inSync.length === 3, { description: 'all three replicas in sync under epoch 2', timeoutMs: 20_000 });
    const more = await produceAll(second, 'e2', 10);
    expect((await fetchAll(second)).map((r) => r.value)).toEqual([...written, ...more]);

    // The old leader learns it is fenced on its next append and stops serving.
    const stale = await first.produce({ records: batchOf(['stale']), acks: -1 });
    expect(stale).toMatchObject({ ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } });
    expect(stops).toEqual([{ kind: 'fenced', promisedEpoch: 2 }]);
    expect(first.isServing).toBe(false);
    // Recovery under a stale epoch is refused as a whole.
    expect(await recoverLeadership({ epoch: epoch(1), replicas: cluster.ports(p), writeQuorum: 2 })).toEqual({ ok: false, error: { code: 'FENCED', promisedEpoch: 2 } });
  });

  it('keeps writing when one node is killed, and a restarted node (new address) catches up', async () => {
    const p = replicaPartition(TOPIC, 2);
    const leader = await startLeader(cluster, p, 1);
    const before = await produceAll(leader, 'before', 20);
    await cluster.nodes.get('repl-c')?.kill9();

    const during = await produceAll(leader, 'during', 20);
    expect(leader.snapshot()).toMatchObject({ serving: true, highWatermark: 200n, inSync: ['repl-a', 'repl-b'] });
    expect((await fetchAll(leader)).map((r) => r.value)).toEqual([...before, ...during]);

    // The node comes back on its old data at a new port; the pool follows the resolver.
    await cluster.restart('repl-c');
    await waitFor(() => leader.snapshot().inSync.length === 3, { description: 'repl-c back in sync', timeoutMs: 60_000, intervalMs: 100 });
    const after = await produceAll(leader, 'after', 5);
    await expectReplicaMatches(cluster.pool.portFor('repl-c', p), leader, 225n);
    expect((await fetchAll(leader)).map((r) => r.value)).toEqual([...before, ...during, ...after]);
  });

  it('keeps writing while one node is paused (SIGSTOP) and brings it back in sync after SIGCONT', async () => {
    const p = replicaPartition(TOPIC, 3);
    const leader = await startLeader(cluster, p, 1);
    const before = await produceAll(leader, 'before', 10);
    const paused = cluster.nodes.get('repl-b') as AppHandle;
    paused.pause();
    try {
      // Acks from a and c make the quorum; b's appends hit their deadline and it drops out.
      const during = await produceAll(leader, 'during', 30);
      await waitFor(() => !leader.snapshot().inSync.includes('repl-b' as never), { description: 'paused repl-b to leave the in-sync set', timeoutMs: 20_000, intervalMs: 100 });
      const more = await produceAll(leader, 'more', 10);
      expect(leader.snapshot()).toMatchObject({ serving: true, highWatermark: 250n });
      expect(cluster.pool.client('repl-b')?.appendStats().timedOut).toBeGreaterThan(0);
      paused.resume();
      await waitFor(() => leader.snapshot().inSync.length === 3, { description: 'repl-b back in sync after SIGCONT', timeoutMs: 60_000, intervalMs: 100 });
      const after = await produceAll(leader, 'after', 4);
      await expectReplicaMatches(cluster.pool.portFor('repl-b', p), leader, 270n);
      expect((await fetchAll(leader)).map((r) => r.value)).toEqual([...before, ...during, ...more, ...after]);
    } finally {
      paused.resume();
    }
  });

  it('answers UNAVAILABLE, never hangs, for a node that cannot be reached or resolved', async () => {
    const p = replicaPartition(TOPIC, 4);
    cluster.addresses.set('gone', '127.0.0.1:1');
    const gone = cluster.pool.portFor('gone', p);
    expect(await gone.fence(epoch(1))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    const records = buildBatch({ records: [{ value: 'x' }], baseOffset: 0n, partitionLeaderEpoch: 1, baseTimestamp: 1n });
    expect(await gone.append({ epoch: epoch(1), baseOffset: 0n, endOffset: 1n, records, committedOffset: 0n })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await cluster.pool.portFor('nobody', p).read({ offset: 0n, maxBytes: 1, maxOffset: 1n })).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('no address') } });

    // A paused node: the call is answered at its deadline.
    const b = cluster.nodes.get('repl-b') as AppHandle;
    b.pause();
    try {
      expect(await cluster.pool.portFor('repl-b', p).fence(epoch(1))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('DEADLINE_EXCEEDED') } });
      // Closing the pool cancels what is still waiting (not only at its deadline) and answers later calls at once.
      const waiting = cluster.pool.portFor('repl-b', p).fence(epoch(1));
      cluster.pool.close();
      expect(await waiting).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('CANCELLED') } });
    } finally {
      b.resume();
    }
    expect(await cluster.pool.portFor('repl-a', p).fence(epoch(1))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});

describe('DeleteRecords below the replicas first local offset (the start lies in the tiered range)', () => {
  useHarness();
  let cluster: Cluster | undefined;
  // Small segments, so local retention (DELETE_SCOPE_LOCAL_ONLY, as tiered storage drives it) drops some.
  beforeEach(async () => {
    cluster = await startCluster({ STRATUS_SEGMENT_BYTES: '4096' });
  });
  afterEach(() => cluster?.pool.close());

  const stateOf = async (c: Cluster, id: string, p: ReplicaPartition) => {
    const res = await c.pool.client(id)?.getLogState({ partition: toPartitionRef(p) });
    if (!res?.ok || !res.value.state) throw new Error(`GetLogState on ${id}: ${JSON.stringify(res)}`);
    return res.value.state;
  };

  it('survives a restart of every replication node and of the leader: the next leader refuses below it and spreads it, never the first local offset', async () => {
    const c = cluster as Cluster;
    const p = replicaPartition(TOPIC, 9);
    const first = await startLeader(c, p, 1);
    // 40 batches of 5 records (~1.3 KB each), one append at a time (a segment rolls between
    // appends only): many 4 KiB segments on every node.
    for (let b = 0; b < 40; b++) await produceAll(first, `${b}-${'x'.repeat(250)}`, 1);
    expect(await first.deleteRecords(12n)).toEqual({ ok: true, value: { lowWatermark: 12n } });
    // Local retention after tiering drops the segments below ~100 on every node.
    for (const id of NODES) {
      const dropped = await c.pool.client(id)?.deleteSegmentsBefore({ partition: toPartitionRef(p), offset: 100n, scope: replicationV1.DeleteScope.LOCAL_ONLY, epoch: 0 });
      expect(dropped?.ok && dropped.value.segmentsDeleted).toBeGreaterThan(0);
    }
    const local = (await stateOf(c, 'repl-a', p)).localLogStartOffset;
    expect(local).toBeGreaterThan(12n);
    // The wire carries both starts (log.proto): the logical one and the first local offset.
    for (const id of NODES) expect(await stateOf(c, id, p)).toMatchObject({ logStartOffset: 12n });

    // The broker goes away and every replication node restarts from its disk.
    first.resign();
    for (const id of NODES) {
      await c.nodes.get(id)?.stop();
      await c.restart(id);
    }
    const second = await startLeader(c, p, 2);
    expect(second.snapshot()).toMatchObject({ logStart: 12n, highWatermark: 200n });
    expect(second.snapshot().localLogStart).toBeGreaterThan(12n);
    // Deleted: refused by the leader itself. Between the two starts: only the tier holds it (no replica does).
    expect(await second.fetch({ offset: 11n, maxBytes: 1024 })).toMatchObject({ ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE } });
    expect(await second.fetch({ offset: 12n, maxBytes: 1024 })).toMatchObject({ ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR } });
    const hot = await second.fetch({ offset: second.snapshot().localLogStart, maxBytes: 1024 });
    expect(hot).toMatchObject({ ok: true, value: { logStartOffset: 12n } });
    // Recovery spread the durable start; no node took its first local offset as a deletion.
    await waitFor(
      async () => {
        const states = await Promise.all(NODES.map((id) => stateOf(c, id, p)));
        return states.every((st) => st.logStartOffset === 12n && st.localLogStartOffset > 12n);
      },
      { description: 'every node to report the logical start 12 below its first local offset', timeoutMs: 30_000 },
    );
    second.resign();
  });
});

