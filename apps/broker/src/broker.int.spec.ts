// The broker app against REAL processes: etcd, the metadata app (with its controller), three
// replication apps and broker apps (dist/apps/*/main.js; the integration target builds them),
// every node registering itself with metadata.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { brokerV1, commonV1, metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { buildBatch, readRecords } from '@stratus/kafka-records';
import { createGrpcClient, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { makeTempDir, startApp, startEtcd, useHarness, waitFor, type AppHandle } from '@stratus/platform-testing';

jest.setTimeout(240_000);
useHarness();

const CELL = 'c1';
const AZS = ['az-a', 'az-b', 'az-c'] as const;

interface Cluster {
  readonly metadata: metadataV1.MetadataServiceClient;
  readonly brokers: Map<string, AppHandle>;
  readonly replication: Map<string, AppHandle>;
}

function unary<Req, Res>(method: UnaryMethod<Req, Res>, self: object, request: Req): Promise<Res> {
  return unaryCall(self, method, request, { timeoutMs: 10_000 });
}

async function startCluster(brokerIds: readonly string[]): Promise<Cluster> {
  const etcd = await startEtcd();
  const metadataApp = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.clientUrl, STRATUS_CELLS: `${CELL}:${AZS.join(',')}` } });
  await metadataApp.waitReady();
  const metadata = createGrpcClient(metadataV1.MetadataServiceClient, metadataApp.grpcAddress);
  const replication = new Map<string, AppHandle>();
  await Promise.all(
    AZS.map(async (az, i) => {
      const dir = await makeTempDir(`broker-int-repl-${i}`);
      const id = `repl-${i}`;
      const app = await startApp('replication', { env: { STRATUS_NODE_ID: id, STRATUS_DATA_DIR: dir.path, STRATUS_AZ: az, STRATUS_CELL: CELL, STRATUS_METADATA_ADDRESS: metadataApp.grpcAddress } });
      await app.waitReady();
      replication.set(id, app);
    }),
  );
  // Topic creation places replicas on registered replication nodes: wait for all three.
  await waitFor(
    async () => {
      const nodes = await unary(metadata.listNodes, metadata, metadataV1.ListNodesRequest.fromPartial({ role: commonV1.NodeRole.REPLICATION, cell: CELL }));
      return nodes.nodes.length === 3 || undefined;
    },
    { description: 'three replication nodes registered', timeoutMs: 30_000, intervalMs: 200 },
  );
  const brokers = new Map<string, AppHandle>();
  await Promise.all(
    brokerIds.map(async (id, i) => {
      const app = await startApp('broker', {
        env: { STRATUS_NODE_ID: id, STRATUS_METADATA_ADDRESS: metadataApp.grpcAddress, STRATUS_AZ: AZS[i % 3] as string, STRATUS_CELL: CELL, STRATUS_LEASE_TTL_MS: '3000', STRATUS_REPLICA_CALL_TIMEOUT_MS: '2000', STRATUS_REPLICA_APPEND_TIMEOUT_MS: '3000' },
      });
      await app.waitReady();
      brokers.set(id, app);
    }),
  );
  return { metadata, brokers, replication };
}

async function createTopic(cluster: Cluster, partitions: number): Promise<{ tenantId: string; topicId: Buffer }> {
  const tenant = await unary(cluster.metadata.createTenant, cluster.metadata, metadataV1.CreateTenantRequest.fromPartial({ name: `acme-${Date.now()}`, cell: CELL }));
  const tenantId = tenant.tenant?.tenantId?.value ?? '';
  expect(tenantId).not.toBe('');
  const created = await unary(
    cluster.metadata.createTopics,
    cluster.metadata,
    metadataV1.CreateTopicsRequest.fromPartial({ tenantId: { value: tenantId }, topics: [{ name: 'orders', numPartitions: partitions, replicationFactor: -1 }], timeoutMs: 10_000 }),
  );
  const result = created.results[0];
  expect(result?.error?.code ?? 0).toBe(0);
  return { tenantId, topicId: Buffer.from(result?.topicId?.value ?? new Uint8Array(0)) };
}

async function leaders(cluster: Cluster, topicId: Buffer): Promise<Map<number, metadataV1.PartitionAssignment>> {
  const res = await unary(cluster.metadata.getPartitionAssignments, cluster.metadata, metadataV1.GetPartitionAssignmentsRequest.fromPartial({ selector: { $case: 'topics', value: { topicIds: [{ value: topicId }] } } }));
  return new Map(res.assignments.map((a) => [a.partition?.partition ?? -1, a]));
}

/** A Produce stream answering by correlation id. */
class ProduceStream {
  private readonly stream: ClientDuplexStream<brokerV1.ProduceRequest, brokerV1.ProduceResponse>;
  private readonly pending = new Map<bigint, { resolve: (r: brokerV1.ProduceResponse) => void; reject: (e: Error) => void }>();
  private next = 1n;
  broken: Error | undefined;

  constructor(readonly address: string) {
    const client = createGrpcClient(brokerV1.BrokerServiceClient, address);
    this.stream = client.produce();
    this.stream.on('data', (r: brokerV1.ProduceResponse) => {
      this.pending.get(r.correlationId)?.resolve(r);
      this.pending.delete(r.correlationId);
    });
    const fail = (err: Error): void => {
      this.broken = err;
      for (const p of this.pending.values()) p.reject(err);
      this.pending.clear();
    };
    this.stream.on('error', fail);
    this.stream.on('end', () => fail(new Error('stream ended')));
  }

  send(tenantId: string, partition: commonV1.PartitionRef, records: Buffer, acks = -1): Promise<brokerV1.ProduceResponse> {
    if (this.broken) return Promise.reject(this.broken);
    const correlationId = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(correlationId, { resolve, reject });
      this.stream.write(brokerV1.ProduceRequest.fromPartial({ header: { correlationId, tenantId: { value: tenantId }, timeoutMs: 5_000 }, acks, partitions: [{ partition, records }] }));
    });
  }

  close(): void {
    this.stream.end();
  }
}

/** One fetch (a long poll when minBytes > 0): the records' values from `offset`, and the next offset. */
async function fetchStep(
  address: string,
  tenantId: string,
  partition: commonV1.PartitionRef,
  offset: bigint,
  wait: { minBytes: number; maxWaitMs: number; client?: brokerV1.BrokerServiceClient },
): Promise<{ values: string[]; next: bigint }> {
  const client = wait.client ?? createGrpcClient(brokerV1.BrokerServiceClient, address);
  const stream = client.fetch();
  try {
    const response = await new Promise<brokerV1.FetchResponse>((resolve, reject) => {
      stream.once('data', resolve);
      stream.once('error', reject);
      stream.write(
        brokerV1.FetchRequest.fromPartial({
          header: { correlationId: 1n, tenantId: { value: tenantId }, timeoutMs: 5_000 },
          maxWaitMs: wait.maxWaitMs,
          minBytes: wait.minBytes,
          maxBytes: 1 << 20,
          partitions: [{ partition, fetchOffset: offset, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: 1 << 20 }],
        }),
      );
    });
    const p = response.partitions[0];
    if (p?.error?.code) throw new Error(`fetch error ${p.error.code} ${p.error.message}`);
    const records = Buffer.from(p?.records ?? new Uint8Array(0));
    const values: string[] = [];
    let next = offset;
    let at = 0;
    while (at < records.length) {
      const size = records.readInt32BE(at + 8) + 12;
      const decoded = readRecords(records.subarray(at, at + size));
      if (!decoded.ok) throw new Error(decoded.error.message);
      for (const r of decoded.value) {
        if (r.offset >= next) values.push(r.value?.toString('utf8') ?? '');
        next = r.offset + 1n;
      }
      at += size;
    }
    return { values, next };
  } finally {
    stream.end();
    if (!wait.client) client.close();
  }
}

async function fetchAll(address: string, tenantId: string, partition: commonV1.PartitionRef): Promise<string[]> {
  const out: string[] = [];
  let offset = 0n;
  for (;;) {
    const step = await fetchStep(address, tenantId, partition, offset, { minBytes: 0, maxWaitMs: 0 });
    if (step.values.length === 0) return out;
    out.push(...step.values);
    offset = step.next;
  }
}

describe('broker app over real metadata and replication processes', () => {
  it('produces through the Produce stream with acks=-1 and fetches the records back', async () => {
    const cluster = await startCluster(['broker-1']);
    const { tenantId, topicId } = await createTopic(cluster, 1);
    const broker = cluster.brokers.get('broker-1') as AppHandle;
    const stream = new ProduceStream(broker.grpcAddress);
    const partition = { topicId: { value: topicId }, partition: 0 };
    // The broker serves the partition once its watch delivered the assignment and recovery ran.
    const first = await waitFor(
      async () => {
        const r = await stream.send(tenantId, partition, buildBatch({ records: [{ value: 'hello' }], baseTimestamp: BigInt(Date.now()) }));
        return r.partitions[0]?.error?.code === 0 ? r : undefined;
      },
      { description: 'the broker to lead partition 0', timeoutMs: 30_000, intervalMs: 200 },
    );
    expect(first.partitions[0]?.baseOffset).toBe(0n);
    const second = await stream.send(tenantId, partition, buildBatch({ records: [{ value: 'world' }, { value: '!' }], baseTimestamp: BigInt(Date.now()) }));
    expect(second.partitions[0]).toMatchObject({ error: { code: 0 }, baseOffset: 1n });
    // Another tenant cannot see it.
    const foreign = await stream.send('someone-else', partition, buildBatch({ records: [{ value: 'x' }], baseTimestamp: BigInt(Date.now()) }));
    expect(foreign.partitions[0]?.error?.code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    stream.close();
    expect(await fetchAll(broker.grpcAddress, tenantId, partition)).toEqual(['hello', 'world', '!']);
  });

  // Issue 6 "Failover, real processes": an idempotent acks=all writer to 8 partitions; one
  // process is disrupted mid-stream; afterwards every acknowledged record is present exactly
  // once, in order per partition.
  it('failover: kill -9 of a leader broker mid-stream; the other broker takes its partitions over', async () => {
    const cluster = await startCluster(['broker-1', 'broker-2']);
    const result = await idempotentWriter(cluster, async (assignments) => {
      const victim = assignments.get(0)?.leaderNodeId ?? 'broker-1';
      await (cluster.brokers.get(victim) as AppHandle).kill9();
      cluster.brokers.delete(victim);
      return victim;
    });
    expect([...result.assignments.values()].every((a) => a.leaderNodeId !== result.victim)).toBe(true);
    console.log(`broker failover: killed ${result.victim}; its partitions were served again after ${result.worstMs} ms (first ack after the kill per affected partition: ${result.takeoverMs.join(', ')} ms)`);
  });

  it('a replication node killed -9 mid-stream: writes continue on the other two', async () => {
    const cluster = await startCluster(['broker-1']);
    const result = await idempotentWriter(cluster, async () => {
      await (cluster.replication.get('repl-1') as AppHandle).kill9();
      return 'repl-1';
    });
    console.log(`replication node killed: longest stall of a partition ${result.worstMs} ms`);
  });

  it('a replication node paused (SIGSTOP) mid-stream: writes continue on the other two', async () => {
    const cluster = await startCluster(['broker-1']);
    const paused = cluster.replication.get('repl-2') as AppHandle;
    const result = await idempotentWriter(cluster, () => {
      paused.pause();
      return Promise.resolve('repl-2');
    });
    paused.resume();
    console.log(`replication node paused: longest stall of a partition ${result.worstMs} ms`);
  });
});

interface WriterResult {
  readonly victim: string;
  readonly assignments: Map<number, metadataV1.PartitionAssignment>;
  /** Per partition that failed after the disruption: ms from the disruption to its next ack. */
  readonly takeoverMs: readonly number[];
  readonly worstMs: number;
}

async function idempotentWriter(cluster: Cluster, disrupt: (assignments: Map<number, metadataV1.PartitionAssignment>) => Promise<string>): Promise<WriterResult> {
  const PARTITIONS = 8;
  const BATCHES = 40;
  const { tenantId, topicId } = await createTopic(cluster, PARTITIONS);
  const address = (nodeId: string): string | undefined => cluster.brokers.get(nodeId)?.grpcAddress;
  const anyBroker = createGrpcClient(brokerV1.BrokerServiceClient, [...cluster.brokers.values()][0]?.grpcAddress as string);
  const init = await waitFor(
    async () => {
      const r = await unary(anyBroker.initProducerId, anyBroker, brokerV1.InitProducerIdRequest.fromPartial({ header: { correlationId: 1n, tenantId: { value: tenantId }, timeoutMs: 5_000 }, producerId: -1n, producerEpoch: -1 }));
      return (r.error?.code ?? 0) === 0 ? r : undefined;
    },
    { description: 'a producer id', timeoutMs: 20_000, intervalMs: 200 },
  );
  anyBroker.close();
  const producerId = init.producerId;

  let assignments = await leaders(cluster, topicId);
  const streams = new Map<string, ProduceStream>();
  const streamTo = (nodeId: string): ProduceStream | undefined => {
    const addr = address(nodeId);
    if (!addr) return undefined;
    const existing = streams.get(nodeId);
    if (existing && !existing.broken) return existing;
    const created = new ProduceStream(addr);
    streams.set(nodeId, created);
    return created;
  };

  const acked: string[][] = Array.from({ length: PARTITIONS }, () => []);
  let disruptedAt: number | undefined;
  const takeoverMs: number[] = [];
  const fatal: string[] = [];
  let totalAcked = 0;
  /** Retried answers by code (-2: the stream broke, -3: no known leader), for the test log. */
  const failures = new Map<number, number>();

  const worker = async (index: number): Promise<void> => {
    const partition = { topicId: { value: topicId }, partition: index };
    let seq = 0;
    let failedSinceDisruption = false;
    while (seq < BATCHES) {
      const stream = streamTo(assignments.get(index)?.leaderNodeId ?? '');
      const value = `p${index}-${seq}`;
      const records = buildBatch({ records: [{ value }], baseTimestamp: BigInt(Date.now()), producerId, producerEpoch: 0, baseSequence: seq });
      const code = stream ? await stream.send(tenantId, partition, records).then((r) => r.partitions[0]?.error?.code ?? -1, () => -2) : -3;
      if (code === 0) {
        acked[index]?.push(value);
        seq++;
        totalAcked++;
        if (failedSinceDisruption && disruptedAt !== undefined) takeoverMs.push(Date.now() - disruptedAt);
        failedSinceDisruption = false;
        continue;
      }
      // Not retriable for an idempotent producer: the broker judged against a wrong state.
      if (code === ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER || code === ErrorCode.INVALID_PRODUCER_EPOCH) {
        fatal.push(`${value}: ${code}`);
        return;
      }
      if (disruptedAt !== undefined) failedSinceDisruption = true;
      failures.set(code, (failures.get(code) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      assignments = await leaders(cluster, topicId).catch(() => assignments);
    }
  };

  let victim = '';
  const disruption = (async () => {
    await waitFor(() => totalAcked >= PARTITIONS * 10 || undefined, { description: 'the writer to get going', timeoutMs: 120_000, intervalMs: 20 }).catch((err: unknown) => {
      const logs = [...cluster.brokers.values()].map((b) => `--- ${b.label}\n${b.process.tail(40)}`).join('\n');
      throw new Error(`${String(err)}; acked ${totalAcked}, retries ${JSON.stringify(Object.fromEntries(failures))}\n${logs}`);
    });
    disruptedAt = Date.now();
    victim = await disrupt(assignments);
  })();

  // Consumers long-polling at the HW the whole time: what they see must never vanish later (I2).
  const seen: string[][] = Array.from({ length: PARTITIONS }, () => []);
  const readerClients = new Map<string, brokerV1.BrokerServiceClient>();
  let writing = true;
  const reader = async (index: number): Promise<void> => {
    const partition = { topicId: { value: topicId }, partition: index };
    let offset = 0n;
    while (writing) {
      const leader = address(assignments.get(index)?.leaderNodeId ?? '');
      let client = leader ? readerClients.get(leader) : undefined;
      if (leader && !client) {
        client = createGrpcClient(brokerV1.BrokerServiceClient, leader);
        readerClients.set(leader, client);
      }
      const step = leader ? await fetchStep(leader, tenantId, partition, offset, { minBytes: 1, maxWaitMs: 500, client }).catch(() => undefined) : undefined;
      if (step) {
        seen[index]?.push(...step.values);
        offset = step.next;
      } else {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  };
  const readers = Array.from({ length: PARTITIONS }, (_, i) => reader(i));
  await Promise.all([...Array.from({ length: PARTITIONS }, (_, i) => worker(i)), disruption]);
  writing = false;
  await Promise.all(readers);
  for (const c of readerClients.values()) c.close();
  expect(fatal).toEqual([]);
  for (const s of streams.values()) s.close();

  assignments = await leaders(cluster, topicId);
  for (let i = 0; i < PARTITIONS; i++) {
    const leader = assignments.get(i)?.leaderNodeId ?? '';
    const fetched = await fetchAll(address(leader) as string, tenantId, { topicId: { value: topicId }, partition: i });
    // Every acknowledged record, exactly once, in order (idempotent retries were deduplicated).
    expect(fetched).toEqual(acked[i]);
    expect(fetched.length).toBe(BATCHES);
    expect(fetched.slice(0, seen[i]?.length ?? 0)).toEqual(seen[i]);
  }
  console.log(`writer retries by error code: ${JSON.stringify(Object.fromEntries(failures))}`);
  return { victim, assignments, takeoverMs, worstMs: takeoverMs.length > 0 ? Math.max(...takeoverMs) : 0 };
}
