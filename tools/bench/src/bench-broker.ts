// Benchmark (issue 6 performance): one broker's partition leaders over three REAL replication
// processes, no router. The leaders (@stratus/broker-partition) run in this process and talk to
// the nodes through @stratus/broker-replica-client, exactly as the broker app does.
// Reports: produce MB/s (1 KiB records, 16 KiB batches, acks=all) over 1 and 16 partitions;
// p50/p99/p99.9 produce latency at 50% of that rate; fetch MB/s from the tail cache and from the
// replicas; leader failover time (recovery under a new epoch).
// Build the replication app first (npx nx build replication); the Nx target bench-broker does.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/bench-broker.ts [--quick]
// Prints one JSON BenchResult per scenario on stdout.
import { randomBytes } from 'node:crypto';
import { build } from 'hdr-histogram-js';
import { epoch, PartitionLeader, recoverLeadership, type ReplicaPort } from '@stratus/broker-partition';
import { ReplicationClientPool, replicaPartition, type ReplicaPartition } from '@stratus/broker-replica-client';
import { buildBatch } from '@stratus/kafka-records';
import { cleanupResources, makeTempDir, startApp, type AppHandle } from '@stratus/platform-testing';
import { formatResult, machineInfo, type BenchResult } from './result';

const MB = 1024 * 1024;
const RECORD_BYTES = 1024;
const RECORDS_PER_BATCH = 16;
const NODES = ['bench-a', 'bench-b', 'bench-c'] as const;
const MIN_INSYNC = 2;

interface Bench {
  readonly quick: boolean;
  readonly pool: ReplicationClientPool;
  readonly template: Buffer;
  readonly machine: ReturnType<typeof machineInfo>;
  nextTopic(): Buffer;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ns: bigint): number => Number(ns) / 1e9;

function emit(result: BenchResult): void {
  process.stdout.write(formatResult(result) + '\n');
}

/** A producer's batch: 16 records of 1 KiB of random bytes, no producer id (not idempotent). */
function producerBatch(): Buffer {
  const records = Array.from({ length: RECORDS_PER_BATCH }, () => ({ value: randomBytes(RECORD_BYTES) }));
  return buildBatch({ records, baseTimestamp: BigInt(Date.now()) });
}

function ports(bench: Bench, partition: ReplicaPartition): ReplicaPort[] {
  return NODES.map((id) => bench.pool.portFor(id, partition));
}

async function lead(bench: Bench, partition: ReplicaPartition, e: number): Promise<PartitionLeader> {
  const started = await PartitionLeader.start({ epoch: epoch(e), replicas: ports(bench, partition), minInsyncReplicas: MIN_INSYNC, maxMessageBytes: 1 * MB });
  if (!started.ok) throw new Error(`leader for epoch ${e}: ${JSON.stringify(started.error)}`);
  return started.value;
}

/** `count` fresh partitions of a new topic, each with a leader at epoch 1. */
async function leaders(bench: Bench, count: number): Promise<{ partitions: ReplicaPartition[]; leaders: PartitionLeader[] }> {
  const topic = bench.nextTopic();
  const partitions = Array.from({ length: count }, (_, i) => replicaPartition(topic, i));
  return { partitions, leaders: await Promise.all(partitions.map((p) => lead(bench, p, 1))) };
}

async function produce(leader: PartitionLeader, template: Buffer): Promise<void> {
  // The leader rewrites offsets in place, as it does with a request buffer off the wire.
  const r = await leader.produce({ records: Buffer.from(template), acks: -1 });
  if (!r.ok) throw new Error(`produce: ${r.error.code} ${r.error.message}`);
}

/** Closed loop: `depth` produces in flight per partition; counts what completes after a warm-up. */
async function produceThroughput(bench: Bench, partitionCount: number): Promise<number> {
  const { leaders: ls } = await leaders(bench, partitionCount);
  const depth = Math.max(4, Math.ceil(64 / partitionCount));
  let counting = false;
  let stop = false;
  let done = 0;
  const workers = ls.flatMap((leader) =>
    Array.from({ length: depth }, async () => {
      while (!stop) {
        await produce(leader, bench.template);
        if (counting) done++;
      }
    }),
  );
  await sleep(bench.quick ? 500 : 2_000);
  counting = true;
  const t0 = process.hrtime.bigint();
  await sleep(bench.quick ? 3_000 : 10_000);
  const produces = done;
  const elapsed = seconds(process.hrtime.bigint() - t0);
  stop = true;
  await Promise.all(workers);
  for (const l of ls) l.resign();
  const mbps = (produces * bench.template.length) / MB / elapsed;
  emit({
    name: 'broker-produce-throughput',
    unit: 'MB/s',
    metrics: { MBps: mbps, producesPerSec: produces / elapsed, recordsPerSec: (produces * RECORDS_PER_BATCH) / elapsed },
    params: { partitions: partitionCount, acks: 'all', minInsyncReplicas: MIN_INSYNC, recordBytes: RECORD_BYTES, batchBytes: bench.template.length, inFlightPerPartition: depth, replicationNodes: 3 },
    machine: bench.machine,
  });
  return produces / elapsed;
}

/**
 * Open loop at `rate` produces/s spread round-robin over the partitions. Latency counts from the
 * scheduled send time, so a stalled send is charged to every produce that waited behind it.
 */
async function produceLatency(bench: Bench, partitionCount: number, rate: number): Promise<void> {
  const { leaders: ls } = await leaders(bench, partitionCount);
  const hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const total = Math.max(1, Math.floor(rate * (bench.quick ? 3 : 10)));
  const intervalNs = 1e9 / rate;
  const start = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  let sent = 0;
  let errors = 0;
  while (sent < total) {
    const now = process.hrtime.bigint();
    // Send everything that is due; a 1 ms tick keeps the loop cheap on a 2-core machine.
    while (sent < total && start + BigInt(Math.round(sent * intervalNs)) <= now) {
      const due = start + BigInt(Math.round(sent * intervalNs));
      const leader = ls[sent % ls.length] as PartitionLeader;
      pending.push(
        produce(leader, bench.template).then(
          () => void hist.recordValue(Math.max(1, Number((process.hrtime.bigint() - due) / 1000n))),
          () => void errors++,
        ),
      );
      sent++;
    }
    await sleep(1);
  }
  await Promise.all(pending);
  for (const l of ls) l.resign();
  const ms = (q: number): number => hist.getValueAtPercentile(q) / 1000;
  emit({
    name: 'broker-produce-latency',
    unit: 'ms',
    metrics: { p50Ms: ms(50), p99Ms: ms(99), p999Ms: ms(99.9), maxMs: hist.maxValue / 1000, ratePerSec: rate, MBps: (rate * bench.template.length) / MB, count: total, errors },
    params: { partitions: partitionCount, load: '50% of measured max rate', acks: 'all', batchBytes: bench.template.length },
    machine: bench.machine,
  });
}

/** Reads [0, HW) through the leader in 1 MiB fetches. */
async function fetchAll(leader: PartitionLeader): Promise<{ bytes: number; elapsedS: number }> {
  const t0 = process.hrtime.bigint();
  let at = 0n;
  let bytes = 0;
  for (;;) {
    const r = await leader.fetch({ offset: at, maxBytes: 1 * MB });
    if (!r.ok) throw new Error(`fetch at ${at}: ${r.error.code} ${r.error.message}`);
    if (r.value.records.length === 0) break;
    bytes += r.value.records.length;
    at = r.value.nextOffset;
  }
  return { bytes, elapsedS: seconds(process.hrtime.bigint() - t0) };
}

/**
 * Fills one partition with less than the tail cache holds, reads it back from the cache; then
 * fails over to a new epoch (steps 1–4 timed alone, then a full start at a further epoch, which
 * adds producer-state rebuild from the tail) and reads it again, now from the replicas.
 */
async function fetchAndFailover(bench: Bench): Promise<void> {
  const logBytes = (bench.quick ? 16 : 48) * MB;
  const { partitions, leaders: [first] } = await leaders(bench, 1);
  const partition = partitions[0] as ReplicaPartition;
  const leader1 = first as PartitionLeader;
  const n = Math.ceil(logBytes / bench.template.length);
  for (let i = 0; i < n; i += 64) await Promise.all(Array.from({ length: Math.min(64, n - i) }, () => produce(leader1, bench.template)));
  const cached = await fetchAll(leader1);
  const params = { logBytes: n * bench.template.length, fetchMaxBytes: MB, batchBytes: bench.template.length };
  emit({ name: 'broker-fetch-tail-cache', unit: 'MB/s', metrics: { MBps: cached.bytes / MB / cached.elapsedS }, params, machine: bench.machine });

  leader1.resign();
  const r0 = process.hrtime.bigint();
  const recovered = await recoverLeadership({ epoch: epoch(2), replicas: ports(bench, partition), writeQuorum: MIN_INSYNC });
  const recoverMs = Number(process.hrtime.bigint() - r0) / 1e6;
  if (!recovered.ok) throw new Error(`recovery: ${JSON.stringify(recovered.error)}`);
  const s0 = process.hrtime.bigint();
  const leader3 = await lead(bench, partition, 3);
  const startMs = Number(process.hrtime.bigint() - s0) / 1e6;
  const fromReplicas = await fetchAll(leader3);
  emit({ name: 'broker-fetch-replica', unit: 'MB/s', metrics: { MBps: fromReplicas.bytes / MB / fromReplicas.elapsedS }, params: { ...params, source: 'replica Read (tail cache empty after failover)' }, machine: bench.machine });
  leader3.resign();
  emit({
    name: 'broker-failover',
    unit: 'ms',
    metrics: { recoverLeadershipMs: recoverMs, leaderStartMs: startMs },
    params: { ...params, partitions: 1, note: 'recoverLeadershipMs = recovery steps 1-4; leaderStartMs = steps 1-5 incl. producer-state rebuild read from a replica' },
    machine: bench.machine,
  });
}

/** Failover of 16 partitions at once (a broker taking over another broker's partitions). */
async function failoverMany(bench: Bench, count: number): Promise<void> {
  const { partitions, leaders: ls } = await leaders(bench, count);
  await Promise.all(ls.map(async (l) => Promise.all(Array.from({ length: 64 }, () => produce(l, bench.template)))));
  for (const l of ls) l.resign();
  const t0 = process.hrtime.bigint();
  const next = await Promise.all(partitions.map((p) => lead(bench, p, 2)));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  for (const l of next) l.resign();
  emit({ name: 'broker-failover', unit: 'ms', metrics: { leaderStartMs: ms, perPartitionMs: ms / count }, params: { partitions: count, logBytesPerPartition: 64 * bench.template.length, note: 'all partitions started concurrently under a new epoch (steps 1-5)' }, machine: bench.machine });
}

async function startNodes(): Promise<Map<string, string>> {
  const addresses = new Map<string, string>();
  await Promise.all(
    NODES.map(async (id) => {
      const dir = await makeTempDir(`bench-broker-${id}`);
      const app: AppHandle = await startApp('replication', { env: { STRATUS_NODE_ID: id, STRATUS_DATA_DIR: dir.path } });
      await app.waitReady();
      addresses.set(id, app.grpcAddress);
    }),
  );
  return addresses;
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const addresses = await startNodes();
  const pool = new ReplicationClientPool({ resolve: (id) => addresses.get(id), leaderNodeId: 'bench-broker' });
  let topic = 0;
  const bench: Bench = {
    quick,
    pool,
    template: producerBatch(),
    machine: machineInfo(),
    nextTopic: () => {
      const id = Buffer.alloc(16);
      id.writeUInt32BE(++topic, 12);
      return id;
    },
  };
  try {
    for (const partitions of [1, 16]) {
      const maxRate = await produceThroughput(bench, partitions);
      await produceLatency(bench, partitions, maxRate / 2);
    }
    await fetchAndFailover(bench);
    await failoverMany(bench, 16);
  } finally {
    pool.close();
    await cleanupResources();
  }
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    await cleanupResources().catch(() => undefined);
    process.exit(1);
  },
);
