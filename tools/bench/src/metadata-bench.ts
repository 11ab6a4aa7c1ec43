// Benchmark of the metadata service (issue #4): topic creations per second (1 and 16 partitions),
// the time from a broker's lease expiry to all of its 1,000 partitions having new leaders, and the
// fan-out latency of one change to 10 watchers. Everything is real: an etcd process, the metadata
// gRPC service and the elected controller, exactly as apps/metadata wires them, in this process.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/metadata-bench.ts [--quick]
// Prints one JSON BenchResult per figure on stdout.
import { metadataV1, type commonV1 } from '@stratus/contracts';
import { Controller } from '@stratus/metadata-controller';
import { cellId, unwrap } from '@stratus/metadata-model';
import { createMetadataService } from '@stratus/metadata-server';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { bindGrpcServer, createGrpcClient, createGrpcServer, unaryCall } from '@stratus/platform-grpc';
import { startEtcd } from '@stratus/platform-testing';
import * as hdr from 'hdr-histogram-js';
import { median } from './measure';
import { formatResult, machineInfo, type BenchResult } from './result';

type Client = metadataV1.MetadataServiceClient;
const CELL = 'bench';

/** Generous: the bench drives the metadata service hard on a small machine. */
const CALL_TIMEOUT_MS = 30_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(condition: () => Promise<boolean> | boolean, timeoutMs: number, pollMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('benchmark condition not reached in time');
    await sleep(pollMs);
  }
}

interface Cluster {
  readonly client: Client;
  readonly store: MetadataStore;
  readonly tenant: commonV1.TenantId;
  close(): Promise<void>;
}

async function startCluster(): Promise<Cluster> {
  const etcd = await startEtcd();
  const kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  const store = new MetadataStore({ kv });
  unwrap(await store.tenants.putCell({ id: cellId(CELL), azs: ['a', 'b', 'c'] }));
  // Placement needs one replication node per AZ; their leases outlive the run.
  for (const az of ['a', 'b', 'c']) {
    unwrap(await store.nodes.register({ id: `repl-${az}`, kind: 'replication', address: `127.0.0.1:1`, az, cell: cellId(CELL), ttlSeconds: 300 }));
  }
  const controller = new Controller({ store, candidateId: 'bench-metadata', tickMs: 1000 });
  controller.start();
  const server = createGrpcServer();
  server.addService(metadataV1.MetadataServiceService, createMetadataService(store));
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  const client = createGrpcClient(metadataV1.MetadataServiceClient, `127.0.0.1:${port}`);
  const created = await unaryCall(client, client.createTenant, { name: 'bench', cell: CELL, labels: {}, quotas: { maxPartitions: 1_000_000 } } as metadataV1.CreateTenantRequest, {
    timeoutMs: CALL_TIMEOUT_MS,
  });
  const tenant = created.tenant?.tenantId;
  if (!tenant) throw new Error('no tenant id');
  return {
    client,
    store,
    tenant,
    close: async () => {
      client.close();
      server.forceShutdown();
      await controller.stop();
      await kv.close();
      await etcd.stop();
    },
  };
}

let topicCounter = 0;

async function createTopic(c: Cluster, partitions: number, prefix: string): Promise<void> {
  const name = `${prefix}-${topicCounter++}`;
  const request = {
    tenantId: c.tenant,
    topics: [{ name, numPartitions: partitions, replicationFactor: -1, configs: {} }],
    validateOnly: false,
    timeoutMs: 30_000,
  } as metadataV1.CreateTopicsRequest;
  const res = await unaryCall(c.client, c.client.createTopics, request, { timeoutMs: CALL_TIMEOUT_MS });
  const code = res.results[0]?.error?.code ?? 0;
  if (code !== 0) throw new Error(`CreateTopics ${name}: Kafka error ${code} ${res.results[0]?.error?.message ?? ''}`);
}

/** Topic creations per second with `concurrency` requests in flight, for `durationMs`. */
async function topicCreationRate(c: Cluster, partitions: number, concurrency: number, durationMs: number): Promise<BenchResult> {
  const latency = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let done = 0;
  const start = performance.now();
  const deadline = start + durationMs;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < deadline) {
        const t0 = performance.now();
        await createTopic(c, partitions, `p${partitions}`);
        latency.recordValue(Math.max(1, Math.round((performance.now() - t0) * 1000)));
        done++;
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  return {
    name: `metadata/topic-creations-${partitions}-partition${partitions === 1 ? '' : 's'}`,
    unit: 'topics/s',
    metrics: {
      topicsPerSecond: Math.round((done / seconds) * 10) / 10,
      partitionsPerSecond: Math.round((done * partitions) / seconds),
      latencyP50Ms: latency.getValueAtPercentile(50) / 1000,
      latencyP99Ms: latency.getValueAtPercentile(99) / 1000,
    },
    params: { partitions, concurrency, durationMs, path: 'gRPC CreateTopics -> etcd transaction (placement + leader)' },
    machine: machineInfo(),
  };
}

/**
 * A broker leading `partitions` partitions stops heartbeating; etcd expires its lease and the
 * controller moves every partition to the surviving broker. Reported from the moment the lease
 * is gone (the registration key deleted) to the last partition reassigned, and from the last
 * heartbeat (which adds the lease TTL a deployment chooses).
 */
async function failoverTime(c: Cluster, partitions: number, ttlSeconds: number): Promise<BenchResult> {
  const dying = unwrap(await c.store.nodes.register({ id: 'broker-dying', kind: 'broker', address: '127.0.0.1:2', az: 'a', cell: cellId(CELL), ttlSeconds }));
  const perTopic = 100;
  for (let made = 0; made < partitions; made += perTopic) await createTopic(c, Math.min(perTopic, partitions - made), 'failover');
  const ledBy = async (nodeId: string): Promise<number> => {
    const request = { selector: { $case: 'leaderNodeId', value: nodeId } } as metadataV1.GetPartitionAssignmentsRequest;
    const res = await unaryCall(c.client, c.client.getPartitionAssignments, request, { timeoutMs: CALL_TIMEOUT_MS });
    return res.assignments.length;
  };
  // Run on a cluster with no other topics, so exactly these partitions are the dying broker's.
  await until(async () => (await ledBy('broker-dying')) === partitions, 60_000, 50);
  const survivor = unwrap(await c.store.nodes.register({ id: 'broker-survivor', kind: 'broker', address: '127.0.0.1:3', az: 'b', cell: cellId(CELL), ttlSeconds: 300 }));
  void survivor;
  const lastHeartbeat = performance.now();
  unwrap(await c.store.nodes.heartbeat({ kind: 'broker', id: 'broker-dying', leaseId: dying.leaseId }));
  await until(async () => !(await c.store.nodes.list('broker')).some((n) => n.id === 'broker-dying'), (ttlSeconds + 30) * 1000, 5);
  const expired = performance.now();
  await until(async () => (await ledBy('broker-dying')) === 0, 120_000, 10);
  const moved = performance.now();
  const onSurvivor = await ledBy('broker-survivor');
  if (onSurvivor !== partitions) throw new Error(`expected ${partitions} partitions on the survivor, found ${onSurvivor}`);
  return {
    name: 'metadata/failover-after-lease-expiry',
    unit: 'ms',
    metrics: {
      partitions,
      expiryToAllReassignedMs: Math.round(moved - expired),
      lastHeartbeatToAllReassignedMs: Math.round(moved - lastHeartbeat),
      leaseTtlMs: ttlSeconds * 1000,
    },
    params: { topics: Math.ceil(partitions / perTopic), detection: 'registration key deleted by etcd lease expiry (polled every 5 ms)' },
    machine: machineInfo(),
  };
}

/**
 * Latency from a change being requested (CreateTopics sent) to each of `watchers` WatchTopics
 * streams seeing it. Watchers often see the change before the writer has its own answer, so the
 * request start is the only honest origin; the CreateTopics round trip is reported beside it.
 */
async function watchFanOut(c: Cluster, watchers: number, changes: number): Promise<BenchResult> {
  const seenAt = new Map<string, number[]>();
  const streams = Array.from({ length: watchers }, () => {
    const stream = c.client.watchTopics({ resumeRevision: 0n, tenantId: c.tenant, cell: '' } as metadataV1.WatchTopicsRequest);
    stream.on('data', (m: metadataV1.WatchTopicsResponse) => {
      if (m.event?.$case !== 'updates') return;
      const now = performance.now();
      for (const t of m.event.value.upserted) seenAt.set(t.name, [...(seenAt.get(t.name) ?? []), now]);
    });
    stream.on('error', () => undefined);
    return stream;
  });
  await sleep(500); // every stream past its snapshot
  const fromRequest = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const lastWatcher: number[] = [];
  const roundTrips: number[] = [];
  for (let i = 0; i < changes; i++) {
    const name = `fanout-${topicCounter}`;
    const sent = performance.now();
    await createTopic(c, 1, 'fanout');
    roundTrips.push(performance.now() - sent);
    await until(() => (seenAt.get(name)?.length ?? 0) >= watchers, 10_000, 1);
    const times = seenAt.get(name) ?? [];
    for (const t of times) fromRequest.recordValue(Math.max(1, Math.round((t - sent) * 1000)));
    lastWatcher.push(Math.max(...times) - sent);
  }
  for (const s of streams) s.cancel();
  return {
    name: 'metadata/watch-fan-out',
    unit: 'ms',
    metrics: {
      watchers,
      changes,
      deliveryP50Ms: fromRequest.getValueAtPercentile(50) / 1000,
      deliveryP99Ms: fromRequest.getValueAtPercentile(99) / 1000,
      allWatchersMedianMs: Math.round(median(lastWatcher) * 1000) / 1000,
      createTopicRoundTripMedianMs: Math.round(median(roundTrips) * 1000) / 1000,
    },
    params: { measuredFrom: 'CreateTopics request sent', stream: 'WatchTopics over gRPC' },
    machine: machineInfo(),
  };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const cluster = await startCluster();
  try {
    // Failover first, while the dying broker's partitions are the only ones in the cluster.
    console.log(formatResult(await failoverTime(cluster, quick ? 200 : 1000, 2)));
    const ms = quick ? 1000 : 5000;
    for (const partitions of [1, 16]) console.log(formatResult(await topicCreationRate(cluster, partitions, 8, ms)));
    console.log(formatResult(await watchFanOut(cluster, 10, quick ? 5 : 50)));
  } finally {
    await cluster.close();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
