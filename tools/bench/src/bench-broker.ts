// Benchmark (issue 6 performance): one broker's partition leaders over three REAL replication
// processes, no router. The leaders (@stratus/broker-partition) run in this process and talk to
// the nodes through @stratus/broker-replica-client, exactly as the broker app does.
// Reports: produce MB/s (1 KiB records, 16 KiB batches, acks=all) over 1 and 16 partitions;
// p50/p99/p99.9 produce latency at 50% of that rate; fetch MB/s from the tail cache and from the
// replicas; leader failover time (recovery under a new epoch).
// Build the replication app first (npx nx build replication); the Nx target bench-broker does.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/bench-broker.ts [--quick]
//   [--produce-only] [--partitions=1,16] [--rounds=N] [--windows=2,unbounded]
// --windows compares leaders with different group-commit windows (maxInFlightAppends;
// `unbounded` is the leader before the window existed) in interleaved rounds: the variant that
// goes first rotates each round, so a burst of load from other work on a shared machine hits
// every variant alike. Each round measures a variant's closed-loop max and then its latency at
// half of that max; a summary line per (partitions, window) gives the medians over the rounds.
// Prints one JSON BenchResult per scenario on stdout; every result carries the 1-minute load.
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { build } from 'hdr-histogram-js';
import { epoch, PartitionLeader, recoverLeadership, type ReplicaPort } from '@stratus/broker-partition';
import { ReplicationClientPool, replicaPartition, type ReplicaPartition } from '@stratus/broker-replica-client';
import { buildBatch } from '@stratus/kafka-records';
import { cleanupResources, makeTempDir, startApp, type AppHandle } from '@stratus/platform-testing';
import { median } from './measure';
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
  /** Appends the leaders sent, one per replica (see counted()). */
  readonly counter: { appends: number };
  nextTopic(): Buffer;
}

/** A leader configuration under test: its group-commit window (undefined = the leader's default). */
interface Variant {
  readonly name: string;
  readonly maxInFlightAppends: number | undefined;
}

/** Stands for "no window": the leader as it was before append-window.ts (every flush goes out at once). */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (ns: bigint): number => Number(ns) / 1e9;

function emit(result: Omit<BenchResult, 'machine'>): void {
  // The machine (and its load) as of this result, not of the start: load changes within a run.
  process.stdout.write(formatResult({ ...result, machine: machineInfo() }) + '\n');
}

/** A producer's batch: 16 records of 1 KiB of random bytes, no producer id (not idempotent). */
function producerBatch(): Buffer {
  const records = Array.from({ length: RECORDS_PER_BATCH }, () => ({ value: randomBytes(RECORD_BYTES) }));
  return buildBatch({ records, baseTimestamp: BigInt(Date.now()) });
}

function ports(bench: Bench, partition: ReplicaPartition): ReplicaPort[] {
  return NODES.map((id) => counted(bench.pool.portFor(id, partition), bench.counter));
}

/** Counts Appends on their way to a node: batches per Append shows how well group commit packs. */
function counted(port: ReplicaPort, counter: { appends: number }): ReplicaPort {
  return {
    id: port.id,
    fence: (e) => port.fence(e),
    append: (request) => {
      counter.appends++;
      return port.append(request);
    },
    truncate: (e, offset) => port.truncate(e, offset),
    markEpochStart: (e, offset) => port.markEpochStart(e, offset),
    repair: (request) => port.repair(request),
    read: (request) => port.read(request),
    advanceLogStart: (e, offset) => port.advanceLogStart(e, offset),
  };
}

/**
 * Samples the deepest Append queue on any node's stream (sent, not yet acknowledged) every 20 ms:
 * the backlog a leader has pushed downstream, where it can no longer be merged.
 */
function sampleNodeQueues(bench: Bench): () => number {
  let max = 0;
  const timer = setInterval(() => {
    for (const id of NODES) max = Math.max(max, bench.pool.client(id)?.appendStats().inFlight ?? 0);
  }, 20);
  return () => {
    clearInterval(timer);
    return max;
  };
}

async function lead(bench: Bench, partition: ReplicaPartition, e: number, variant?: Variant): Promise<PartitionLeader> {
  const window = variant?.maxInFlightAppends;
  const started = await PartitionLeader.start({
    epoch: epoch(e),
    replicas: ports(bench, partition),
    minInsyncReplicas: MIN_INSYNC,
    maxMessageBytes: 1 * MB,
    ...(window !== undefined ? { maxInFlightAppends: window } : {}),
  });
  if (!started.ok) throw new Error(`leader for epoch ${e}: ${JSON.stringify(started.error)}`);
  return started.value;
}

/** `count` fresh partitions of a new topic, each with a leader at epoch 1. */
async function leaders(bench: Bench, count: number, variant?: Variant): Promise<{ partitions: ReplicaPartition[]; leaders: PartitionLeader[] }> {
  const topic = bench.nextTopic();
  const partitions = Array.from({ length: count }, (_, i) => replicaPartition(topic, i));
  return { partitions, leaders: await Promise.all(partitions.map((p) => lead(bench, p, 1, variant))) };
}

async function produce(leader: PartitionLeader, template: Buffer): Promise<void> {
  // The leader rewrites offsets in place, as it does with a request buffer off the wire.
  const r = await leader.produce({ records: Buffer.from(template), acks: -1 });
  if (!r.ok) throw new Error(`produce: ${r.error.code} ${r.error.message}`);
}

/** Closed loop: `depth` produces in flight per partition; counts what completes after a warm-up. */
async function produceThroughput(bench: Bench, partitionCount: number, variant: Variant, round: number): Promise<{ rate: number; mbps: number }> {
  const { leaders: ls } = await leaders(bench, partitionCount, variant);
  const depth = Math.max(4, Math.ceil(64 / partitionCount));
  let counting = false;
  let stop = false;
  let done = 0;
  let errors = 0;
  const workers = ls.flatMap((leader) =>
    Array.from({ length: depth }, async () => {
      while (!stop) {
        // A refused produce (on a starved host: replicas out of sync after append deadlines) is
        // counted, not fatal; the pause keeps an immediate NOT_ENOUGH_REPLICAS from spinning.
        const ok = await produce(leader, bench.template).then(
          () => true,
          () => false,
        );
        if (!ok) await sleep(10);
        if (counting && ok) done++;
        else if (counting) errors++;
      }
    }),
  );
  await sleep(bench.quick ? 500 : 2_000);
  counting = true;
  const appends0 = bench.counter.appends;
  const queues = sampleNodeQueues(bench);
  const t0 = process.hrtime.bigint();
  await sleep(bench.quick ? 3_000 : 10_000);
  const produces = done;
  const appendsPerReplica = (bench.counter.appends - appends0) / NODES.length;
  const maxNodeInFlight = queues();
  const elapsed = seconds(process.hrtime.bigint() - t0);
  stop = true;
  await Promise.all(workers);
  for (const l of ls) l.resign();
  const mbps = (produces * bench.template.length) / MB / elapsed;
  emit({
    name: 'broker-produce-throughput',
    unit: 'MB/s',
    metrics: { MBps: mbps, producesPerSec: produces / elapsed, recordsPerSec: (produces * RECORDS_PER_BATCH) / elapsed, errors, batchesPerAppend: produces / Math.max(1, appendsPerReplica), maxNodeInFlight },
    params: { partitions: partitionCount, acks: 'all', minInsyncReplicas: MIN_INSYNC, recordBytes: RECORD_BYTES, batchBytes: bench.template.length, inFlightPerPartition: depth, replicationNodes: 3, window: variant.name, round },
  });
  return { rate: produces / elapsed, mbps };
}

/**
 * Open loop at `rate` produces/s spread round-robin over the partitions. Latency counts from the
 * scheduled send time, so a stalled send is charged to every produce that waited behind it.
 */
async function produceLatency(bench: Bench, partitionCount: number, rate: number, variant: Variant, round: number): Promise<{ p50: number; p99: number; p999: number }> {
  const { leaders: ls } = await leaders(bench, partitionCount, variant);
  const hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const total = Math.max(1, Math.floor(rate * (bench.quick ? 3 : 10)));
  const intervalNs = 1e9 / rate;
  const appends0 = bench.counter.appends;
  const queues = sampleNodeQueues(bench);
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
  const appendsPerReplica = (bench.counter.appends - appends0) / NODES.length;
  const maxNodeInFlight = queues();
  for (const l of ls) l.resign();
  const ms = (q: number): number => hist.getValueAtPercentile(q) / 1000;
  emit({
    name: 'broker-produce-latency',
    unit: 'ms',
    metrics: { p50Ms: ms(50), p99Ms: ms(99), p999Ms: ms(99.9), maxMs: hist.maxValue / 1000, ratePerSec: rate, MBps: (rate * bench.template.length) / MB, count: total, errors, batchesPerAppend: total / Math.max(1, appendsPerReplica), maxNodeInFlight },
    params: { partitions: partitionCount, load: '50% of measured max rate', acks: 'all', batchBytes: bench.template.length, window: variant.name, round },
  });
  return { p50: ms(50), p99: ms(99), p999: ms(99.9) };
}

/** Max rate then latency at half of it, per variant, in interleaved rounds; then the medians. */
async function produceRounds(bench: Bench, partitionCount: number, variants: readonly Variant[], rounds: number): Promise<void> {
  const samples = new Map(variants.map((v) => [v.name, { mbps: [] as number[], p50: [] as number[], p99: [] as number[], p999: [] as number[], load: [] as number[] }]));
  for (let round = 0; round < rounds; round++) {
    for (let k = 0; k < variants.length; k++) {
      const variant = variants[(round + k) % variants.length] as Variant;
      const max = await produceThroughput(bench, partitionCount, variant, round);
      const latency = await produceLatency(bench, partitionCount, max.rate / 2, variant, round);
      const s = samples.get(variant.name);
      if (!s) throw new Error(`no samples for variant ${variant.name}`);
      s.mbps.push(max.mbps);
      s.p50.push(latency.p50);
      s.p99.push(latency.p99);
      s.p999.push(latency.p999);
      s.load.push(machineInfo().loadAverage1m);
    }
  }
  for (const [name, s] of samples) {
    emit({
      name: 'broker-produce-summary',
      unit: 'ms',
      metrics: { maxMBps: median(s.mbps), halfRateP50Ms: median(s.p50), halfRateP99Ms: median(s.p99), halfRateP999Ms: median(s.p999), loadMin: Math.min(...s.load), loadMax: Math.max(...s.load) },
      params: { partitions: partitionCount, window: name, rounds, statistic: 'median over rounds' },
    });
  }
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
  emit({ name: 'broker-fetch-tail-cache', unit: 'MB/s', metrics: { MBps: cached.bytes / MB / cached.elapsedS }, params });

  leader1.resign();
  const r0 = process.hrtime.bigint();
  const recovered = await recoverLeadership({ epoch: epoch(2), replicas: ports(bench, partition), writeQuorum: MIN_INSYNC });
  const recoverMs = Number(process.hrtime.bigint() - r0) / 1e6;
  if (!recovered.ok) throw new Error(`recovery: ${JSON.stringify(recovered.error)}`);
  const s0 = process.hrtime.bigint();
  const leader3 = await lead(bench, partition, 3);
  const startMs = Number(process.hrtime.bigint() - s0) / 1e6;
  const fromReplicas = await fetchAll(leader3);
  emit({ name: 'broker-fetch-replica', unit: 'MB/s', metrics: { MBps: fromReplicas.bytes / MB / fromReplicas.elapsedS }, params: { ...params, source: 'replica Read (tail cache empty after failover)' } });
  leader3.resign();
  emit({
    name: 'broker-failover',
    unit: 'ms',
    metrics: { recoverLeadershipMs: recoverMs, leaderStartMs: startMs },
    params: { ...params, partitions: 1, note: 'recoverLeadershipMs = recovery steps 1-4; leaderStartMs = steps 1-5 incl. producer-state rebuild read from a replica' },
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
  emit({ name: 'broker-failover', unit: 'ms', metrics: { leaderStartMs: ms, perPartitionMs: ms / count }, params: { partitions: count, logBytesPerPartition: 64 * bench.template.length, note: 'all partitions started concurrently under a new epoch (steps 1-5)' } });
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

interface Cli {
  readonly quick: boolean;
  readonly produceOnly: boolean;
  readonly partitions: number[];
  readonly rounds: number;
  readonly variants: Variant[];
}

function cli(): Cli {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      'produce-only': { type: 'boolean', default: false },
      partitions: { type: 'string', default: '1,16' },
      rounds: { type: 'string', default: '1' },
      windows: { type: 'string' },
    },
  });
  const positive = (text: string, what: string): number => {
    const n = Number(text);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${what} must be a positive integer, got '${text}'`);
    return n;
  };
  const variants: Variant[] =
    values.windows === undefined
      ? [{ name: 'default', maxInFlightAppends: undefined }]
      : values.windows.split(',').map((w) => (w === 'unbounded' ? { name: w, maxInFlightAppends: UNBOUNDED } : { name: w, maxInFlightAppends: positive(w, '--windows entry') }));
  return {
    quick: values.quick ?? false,
    produceOnly: values['produce-only'] ?? false,
    partitions: (values.partitions ?? '1,16').split(',').map((p) => positive(p, '--partitions entry')),
    rounds: positive(values.rounds ?? '1', '--rounds'),
    variants,
  };
}

async function main(): Promise<void> {
  const options = cli();
  const quick = options.quick;
  const addresses = await startNodes();
  const pool = new ReplicationClientPool({ resolve: (id) => addresses.get(id), leaderNodeId: 'bench-broker' });
  let topic = 0;
  const bench: Bench = {
    quick,
    pool,
    template: producerBatch(),
    counter: { appends: 0 },
    nextTopic: () => {
      const id = Buffer.alloc(16);
      id.writeUInt32BE(++topic, 12);
      return id;
    },
  };
  try {
    for (const partitions of options.partitions) await produceRounds(bench, partitions, options.variants, options.rounds);
    if (!options.produceOnly) {
      await fetchAndFailover(bench);
      await failoverMany(bench, 16);
    }
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
