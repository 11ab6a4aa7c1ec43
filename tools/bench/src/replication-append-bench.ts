// Benchmark (issue 5): append throughput of one replication node's partition log for 64 KiB
// batches next to a raw sequential write of the same bytes to the same disk (target ratio >= 0.8),
// append p50/p99 latency at 50% of the measured maximum rate, and read throughput of a cold segment.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/replication-append-bench.ts [--quick] [--rounds N] [--dir /path/on/disk] [--drop-caches]
// Prints one JSON BenchResult per scenario on stdout. Next to MB/s each side reports load-robust
// probes (replication-bench-probes.ts): CPU of the main thread vs the other threads, and the share
// of time with no data write in flight (raw: 64 KiB writes; append: the node's pwritev calls).
// The raw write and the append run in interleaved rounds (the order alternates each round) and the
// headline is the median of the per-round ratios: on a shared machine a burst of load then hits both
// sides of a round alike instead of whichever happened to run during it.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import { buildBatch } from '@stratus/kafka-records';
import { DEFAULT_PARTITION_LOG_CONFIG, NodeFileIo, PartitionReplica, leaderEpoch, partitionKey } from '@stratus/replication-partition-log';
import { OccupancyFileIo, WriteOccupancy, threadCpuMs } from './replication-bench-probes';
import { formatResult, machineInfo, type BenchResult } from './result';

const BATCH_BYTES = 64 * 1024;
const TARGET_RATIO = 0.8;
const EPOCH = leaderEpoch(1);
const MB = 1024 * 1024;

/** A 64 KiB batch (one record of random bytes) whose base offset we rewrite per append (outside the CRC). */
function makeBatch(): Buffer {
  const overhead = 61 + 20;
  return buildBatch({ records: [{ value: randomBytes(BATCH_BYTES - overhead) }], partitionLeaderEpoch: EPOCH });
}

/** Counts the data writes of the side being measured (see replication-bench-probes). */
const occupancy = new WriteOccupancy();

async function openLog(dir: string, options: { countWrites?: boolean } = {}): Promise<PartitionReplica> {
  return PartitionReplica.open({
    key: partitionKey('0123456789abcdef0123456789abcdef', 0),
    dir,
    io: options.countWrites ? new OccupancyFileIo(new NodeFileIo(), occupancy) : new NodeFileIo(),
    config: { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: 256 * MB },
  });
}

/**
 * What a new leader does before it serves (design/replication-protocol.md, leader recovery steps
 * 1 and 4): fence, then durably mark the epoch start. Without the mark, the first timed append
 * would write the epoch history with two fsyncs, a one-time cost that is no part of the
 * steady-state append path (it delayed the first ~300 appends of the latency run by ~300 ms).
 */
async function becomeLeader(log: PartitionReplica): Promise<void> {
  const fenced = await log.fence(EPOCH);
  if (!fenced.ok) throw new Error(fenced.error.message);
  const marked = await log.markEpochStart(EPOCH, fenced.value.logEnd);
  if (!marked.ok) throw new Error(marked.error.message);
}

/**
 * The appended batches: copies of one batch whose base offset (outside the CRC) is rewritten per
 * append. A buffer is reused only after the append that used it was acknowledged (at most `depth`
 * are in flight, the ring holds twice as many), so the bench client does no per-append 64 KiB copy
 * and allocation: the raw writer reuses its buffer too, and a broker's append arrives in a buffer
 * the transport already allocated.
 */
class BatchRing {
  private readonly buffers: Buffer[];

  constructor(batch: Buffer, depth: number) {
    this.buffers = Array.from({ length: 2 * depth }, () => Buffer.from(batch));
  }

  get size(): number {
    return this.buffers.length;
  }

  next(offset: number): Buffer {
    const b = this.buffers[offset % this.buffers.length] as Buffer;
    b.writeBigInt64BE(BigInt(offset), 0);
    return b;
  }
}

interface Side {
  readonly pageCacheMBps: number;
  readonly durableMBps: number;
  /** CPU time of the whole process (all threads, user + system) until the last write/ack, per GiB. */
  readonly cpuMsPerGB: number;
  /** The same split: the main (event-loop) thread, and all other threads (libuv's pool). */
  readonly mainCpuMsPerGB: number;
  readonly otherCpuMsPerGB: number;
  /** Data writes in flight, time-averaged, and the share of wall time with none in flight. */
  readonly meanWritesInFlight: number;
  readonly noWriteInFlightShare: number;
}

function cpuMsPerGB(cpu: NodeJS.CpuUsage, bytes: number): number {
  return (cpu.user + cpu.system) / 1000 / (bytes / (1024 * MB));
}

/** Starts the probes of one side; the returned function reads them (before the final fsync). */
function startProbes(): (bytes: number) => Omit<Side, 'pageCacheMBps' | 'durableMBps'> {
  occupancy.reset();
  const cpu0 = process.cpuUsage();
  const threads0 = threadCpuMs();
  return (bytes) => {
    const cpu = process.cpuUsage(cpu0);
    const threads = threadCpuMs();
    const gib = bytes / (1024 * MB);
    const writes = occupancy.read();
    return {
      cpuMsPerGB: cpuMsPerGB(cpu, bytes),
      mainCpuMsPerGB: (threads.main - threads0.main) / gib,
      otherCpuMsPerGB: (threads.other - threads0.other) / gib,
      meanWritesInFlight: writes.meanInFlight,
      noWriteInFlightShare: writes.idleShare,
    };
  };
}

/** Raw sequential write of `total` bytes in 64 KiB writes, `depth` in flight, fsync at the end. */
async function rawWrite(dir: string, batch: Buffer, total: number, depth: number): Promise<Side> {
  const fh = await open(join(dir, 'raw.bin'), 'w');
  const probes = startProbes();
  const t0 = process.hrtime.bigint();
  let pos = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (pos < total) {
    const at = pos;
    const p = occupancy.track(() => fh.write(batch, 0, batch.length, at));
    pos += batch.length;
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= depth) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const t1 = process.hrtime.bigint();
  const probed = probes(total);
  await fh.sync();
  const t2 = process.hrtime.bigint();
  await fh.close();
  return { pageCacheMBps: total / MB / (Number(t1 - t0) / 1e9), durableMBps: total / MB / (Number(t2 - t0) / 1e9), ...probed };
}

/** Pipelined appends of `total` bytes, `depth` in flight, flush at the end. */
async function appendThroughput(dir: string, batch: Buffer, total: number, depth: number): Promise<Side> {
  const log = await openLog(dir, { countWrites: true });
  await becomeLeader(log);
  const n = Math.ceil(total / batch.length);
  const ring = new BatchRing(batch, depth);
  const probes = startProbes();
  const t0 = process.hrtime.bigint();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < n; i++) {
    const b = ring.next(i);
    const p = log.append(EPOCH, BigInt(i), b).then((r) => {
      if (!r.ok) throw new Error(`append ${i}: ${r.error.message}`);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= depth) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const t1 = process.hrtime.bigint();
  const bytes = n * batch.length;
  const probed = probes(bytes);
  await log.flush();
  const t2 = process.hrtime.bigint();
  await log.close();
  return { pageCacheMBps: bytes / MB / (Number(t1 - t0) / 1e9), durableMBps: bytes / MB / (Number(t2 - t0) / 1e9), ...probed };
}

/** Open-loop appends at `rate` per second for `seconds`; latency measured from the scheduled send time. */
async function pacedLatency(dir: string, batch: Buffer, rate: number, seconds: number): Promise<{ p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; count: number }> {
  const log = await openLog(dir);
  await becomeLeader(log);
  const hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const n = Math.max(1, Math.floor(rate * seconds));
  // A paced run keeps few appends in flight; 64 buffers cover any backlog short of a long stall,
  // and a longer stall is caught by the guard below instead of corrupting a batch in flight.
  const ring = new BatchRing(batch, 32);
  let acked = 0;
  const intervalNs = BigInt(Math.round(1e9 / rate));
  const start = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + intervalNs * BigInt(i);
    const now = process.hrtime.bigint();
    if (due > now) await new Promise((r) => setTimeout(r, Number((due - now) / 1_000_000n)));
    // Timers may fire early by a fraction of a millisecond: never send before the scheduled time.
    while (process.hrtime.bigint() < due) await new Promise((r) => setImmediate(r));
    // Never rewrite a ring buffer whose append is still in flight: wait (this then counts as latency).
    while (i - acked >= ring.size) await new Promise((r) => setImmediate(r));
    const b = ring.next(i);
    pending.push(
      log.append(EPOCH, BigInt(i), b).then((r) => {
        if (!r.ok) throw new Error(r.error.message);
        acked++;
        hist.recordValue(Math.max(1, Number((process.hrtime.bigint() - due) / 1000n)));
      }),
    );
  }
  await Promise.all(pending);
  await log.close();
  const us = (q: number) => hist.getValueAtPercentile(q) / 1000;
  return { p50Ms: us(50), p99Ms: us(99), p999Ms: us(99.9), maxMs: hist.maxValue / 1000, count: n };
}

interface Round {
  readonly order: string;
  readonly raw: Side;
  readonly append: Side;
  /** 1-minute load average when the round started. */
  readonly load1m: number;
}

/**
 * Raw write and append of the same bytes, one after the other in each round, the first one
 * alternating. Each side writes a fresh file/log in the same directory and removes it afterwards;
 * the cold-read segment is the last round's log, kept in `<work>/tput`.
 */
async function interleavedRounds(work: string, batch: Buffer, total: number, depth: number, count: number): Promise<Round[]> {
  const rounds: Round[] = [];
  for (let i = 0; i < count; i++) {
    const load1m = loadavg()[0] ?? 0;
    const rawFirst = i % 2 === 0;
    await rm(join(work, 'tput'), { recursive: true, force: true });
    const runRaw = async () => {
      const r = await rawWrite(work, batch, total, depth);
      await rm(join(work, 'raw.bin'));
      return r;
    };
    const runAppend = () => appendThroughput(join(work, 'tput'), batch, total, depth);
    let raw: Round['raw'];
    let append: Round['append'];
    if (rawFirst) {
      raw = await runRaw();
      append = await runAppend();
    } else {
      append = await runAppend();
      raw = await runRaw();
    }
    rounds.push({ order: rawFirst ? 'raw-first' : 'append-first', raw, append, load1m });
  }
  return rounds;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Drops the page cache so the segment is read from the device. Machine-wide and root-only, so it
 * happens only with --drop-caches; otherwise the read may be served from memory (reported).
 */
async function dropPageCache(): Promise<boolean> {
  if (!process.argv.includes('--drop-caches')) return false;
  try {
    await writeFile('/proc/sys/vm/drop_caches', '1\n');
    return true;
  } catch {
    return false;
  }
}

async function coldRead(dir: string, maxBytes: number): Promise<{ MBps: number; cold: boolean }> {
  const cold = await dropPageCache();
  const log = await openLog(dir);
  const t0 = process.hrtime.bigint();
  let at = log.logState().logStart;
  let bytes = 0;
  for (;;) {
    const r = await log.read(at, maxBytes);
    if (!r.ok) throw new Error(r.error.message);
    if (r.value.records.length === 0) break;
    bytes += r.value.records.length;
    at = r.value.nextOffset;
  }
  const t1 = process.hrtime.bigint();
  await log.close();
  return { MBps: bytes / MB / (Number(t1 - t0) / 1e9), cold };
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const dirArg = process.argv.indexOf('--dir');
  const base = dirArg > 0 ? (process.argv[dirArg + 1] as string) : tmpdir();
  const roundsArg = process.argv.indexOf('--rounds');
  const roundCount = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : quick ? 3 : 5;
  if (!Number.isInteger(roundCount) || roundCount < 1) throw new RangeError(`--rounds must be a positive integer, got ${process.argv[roundsArg + 1]}`);
  const work = await mkdtemp(join(base, 'stratus-repl-bench-'));
  const total = (quick ? 256 : 2048) * MB;
  const depth = 16;
  const batch = makeBatch();
  const params = { batchBytes: batch.length, totalBytes: total, depth, dir: work, flushPolicy: 'none' };
  try {
    const rounds = await interleavedRounds(work, batch, total, depth, roundCount);
    const appendMBps = median(rounds.map((r) => r.append.pageCacheMBps));
    const ratio = median(rounds.map((r) => r.append.pageCacheMBps / r.raw.pageCacheMBps));
    const throughputResult: BenchResult = {
      name: 'replication-append-throughput',
      unit: 'MB/s',
      metrics: {
        appendMBps,
        rawWriteMBps: median(rounds.map((r) => r.raw.pageCacheMBps)),
        ratio,
        minRatio: Math.min(...rounds.map((r) => r.append.pageCacheMBps / r.raw.pageCacheMBps)),
        appendDurableMBps: median(rounds.map((r) => r.append.durableMBps)),
        rawDurableMBps: median(rounds.map((r) => r.raw.durableMBps)),
        durableRatio: median(rounds.map((r) => r.append.durableMBps / r.raw.durableMBps)),
        // CPU per GiB depends far less on other load than MB/s does: on a busy host it shows what
        // the append path itself costs next to the raw write.
        appendCpuMsPerGB: median(rounds.map((r) => r.append.cpuMsPerGB)),
        rawCpuMsPerGB: median(rounds.map((r) => r.raw.cpuMsPerGB)),
        appendMainThreadCpuMsPerGB: median(rounds.map((r) => r.append.mainCpuMsPerGB)),
        rawMainThreadCpuMsPerGB: median(rounds.map((r) => r.raw.mainCpuMsPerGB)),
        appendOtherThreadsCpuMsPerGB: median(rounds.map((r) => r.append.otherCpuMsPerGB)),
        rawOtherThreadsCpuMsPerGB: median(rounds.map((r) => r.raw.otherCpuMsPerGB)),
        // The disk path idling: share of the timed wall clock with no data write in flight.
        appendNoWriteInFlightShare: median(rounds.map((r) => r.append.noWriteInFlightShare)),
        rawNoWriteInFlightShare: median(rounds.map((r) => r.raw.noWriteInFlightShare)),
        appendMeanWritesInFlight: median(rounds.map((r) => r.append.meanWritesInFlight)),
        rawMeanWritesInFlight: median(rounds.map((r) => r.raw.meanWritesInFlight)),
      },
      params: {
        ...params,
        rounds: roundCount,
        statistic: 'median over rounds (ratio: median of per-round ratios)',
        perRound: rounds.map((r) => `${r.order} append ${r.append.pageCacheMBps.toFixed(0)} raw ${r.raw.pageCacheMBps.toFixed(0)} load ${r.load1m.toFixed(2)}`).join('; '),
      },
      target: { metric: 'ratio', atLeast: TARGET_RATIO, met: ratio >= TARGET_RATIO },
      machine: machineInfo(),
    };
    process.stdout.write(formatResult(throughputResult) + '\n');

    const maxRate = appendMBps / (batch.length / MB);
    const rate = maxRate / 2;
    const lat = await pacedLatency(join(work, 'latency'), batch, rate, quick ? 3 : 10);
    process.stdout.write(
      formatResult({ name: 'replication-append-latency', unit: 'ms', metrics: { ...lat, ratePerSec: rate, maxRatePerSec: maxRate }, params: { ...params, load: '50% of max rate' }, machine: machineInfo() }) + '\n',
    );
    await rm(join(work, 'latency'), { recursive: true, force: true });

    const read = await coldRead(join(work, 'tput'), 1 * MB);
    process.stdout.write(
      formatResult({ name: 'replication-cold-segment-read', unit: 'MB/s', metrics: { readMBps: read.MBps }, params: { ...params, readMaxBytes: MB, pageCacheDropped: read.cold }, machine: machineInfo() }) + '\n',
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
