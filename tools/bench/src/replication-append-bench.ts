// Benchmark (issue 5): append throughput of one replication node's partition log for 64 KiB
// batches next to a raw sequential write of the same bytes to the same disk (target ratio >= 0.8),
// append p50/p99 latency at 50% of the measured maximum rate, and read throughput of a cold segment.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/replication-append-bench.ts [--quick] [--dir /path/on/disk] [--drop-caches]
// Prints one JSON BenchResult per scenario on stdout.
import { randomBytes } from 'node:crypto';
import { mkdtemp, open, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'hdr-histogram-js';
import { buildBatch } from '@stratus/kafka-records';
import { DEFAULT_PARTITION_LOG_CONFIG, NodeFileIo, PartitionReplica, leaderEpoch, partitionKey } from '@stratus/replication-partition-log';
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

async function openLog(dir: string): Promise<PartitionReplica> {
  return PartitionReplica.open({
    key: partitionKey('0123456789abcdef0123456789abcdef', 0),
    dir,
    io: new NodeFileIo(),
    config: { ...DEFAULT_PARTITION_LOG_CONFIG, segmentBytes: 256 * MB },
  });
}

/** Raw sequential write of `total` bytes in 64 KiB writes, `depth` in flight, fsync at the end. */
async function rawWrite(dir: string, batch: Buffer, total: number, depth: number): Promise<{ pageCacheMBps: number; durableMBps: number }> {
  const fh = await open(join(dir, 'raw.bin'), 'w');
  const t0 = process.hrtime.bigint();
  let pos = 0;
  const inFlight = new Set<Promise<unknown>>();
  while (pos < total) {
    const p = fh.write(batch, 0, batch.length, pos);
    pos += batch.length;
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= depth) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const t1 = process.hrtime.bigint();
  await fh.sync();
  const t2 = process.hrtime.bigint();
  await fh.close();
  return { pageCacheMBps: total / MB / (Number(t1 - t0) / 1e9), durableMBps: total / MB / (Number(t2 - t0) / 1e9) };
}

/** Pipelined appends of `total` bytes, `depth` in flight, flush at the end. */
async function appendThroughput(dir: string, batch: Buffer, total: number, depth: number): Promise<{ pageCacheMBps: number; durableMBps: number; appends: number }> {
  const log = await openLog(dir);
  const fenced = await log.fence(EPOCH);
  if (!fenced.ok) throw new Error(fenced.error.message);
  const n = Math.ceil(total / batch.length);
  const t0 = process.hrtime.bigint();
  const inFlight = new Set<Promise<unknown>>();
  for (let i = 0; i < n; i++) {
    // Each append gets its own copy: the log keeps no reference, but pipelined writes are still in flight.
    const b = Buffer.from(batch);
    b.writeBigInt64BE(BigInt(i), 0);
    const p = log.append(EPOCH, BigInt(i), b).then((r) => {
      if (!r.ok) throw new Error(`append ${i}: ${r.error.message}`);
    });
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
    if (inFlight.size >= depth) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  const t1 = process.hrtime.bigint();
  await log.flush();
  const t2 = process.hrtime.bigint();
  await log.close();
  const bytes = n * batch.length;
  return { pageCacheMBps: bytes / MB / (Number(t1 - t0) / 1e9), durableMBps: bytes / MB / (Number(t2 - t0) / 1e9), appends: n };
}

/** Open-loop appends at `rate` per second for `seconds`; latency measured from the scheduled send time. */
async function pacedLatency(dir: string, batch: Buffer, rate: number, seconds: number): Promise<{ p50Ms: number; p99Ms: number; p999Ms: number; maxMs: number; count: number }> {
  const log = await openLog(dir);
  await log.fence(EPOCH);
  const hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  const n = Math.max(1, Math.floor(rate * seconds));
  const intervalNs = BigInt(Math.round(1e9 / rate));
  const start = process.hrtime.bigint();
  const pending: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + intervalNs * BigInt(i);
    const now = process.hrtime.bigint();
    if (due > now) await new Promise((r) => setTimeout(r, Number((due - now) / 1_000_000n)));
    // Timers may fire early by a fraction of a millisecond: never send before the scheduled time.
    while (process.hrtime.bigint() < due) await new Promise((r) => setImmediate(r));
    const b = Buffer.from(batch);
    b.writeBigInt64BE(BigInt(i), 0);
    pending.push(
      log.append(EPOCH, BigInt(i), b).then((r) => {
        if (!r.ok) throw new Error(r.error.message);
        hist.recordValue(Math.max(1, Number((process.hrtime.bigint() - due) / 1000n)));
      }),
    );
  }
  await Promise.all(pending);
  await log.close();
  const us = (q: number) => hist.getValueAtPercentile(q) / 1000;
  return { p50Ms: us(50), p99Ms: us(99), p999Ms: us(99.9), maxMs: hist.maxValue / 1000, count: n };
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
  const work = await mkdtemp(join(base, 'stratus-repl-bench-'));
  const total = (quick ? 256 : 2048) * MB;
  const depth = 16;
  const batch = makeBatch();
  const machine = machineInfo();
  const params = { batchBytes: batch.length, totalBytes: total, depth, dir: work, flushPolicy: 'none' };
  try {
    const raw = await rawWrite(work, batch, total, depth);
    await rm(join(work, 'raw.bin'));
    const app = await appendThroughput(join(work, 'tput'), batch, total, depth);
    const ratio = app.pageCacheMBps / raw.pageCacheMBps;
    const durableRatio = app.durableMBps / raw.durableMBps;
    const throughputResult: BenchResult = {
      name: 'replication-append-throughput',
      unit: 'MB/s',
      metrics: {
        appendMBps: app.pageCacheMBps,
        rawWriteMBps: raw.pageCacheMBps,
        ratio,
        appendDurableMBps: app.durableMBps,
        rawDurableMBps: raw.durableMBps,
        durableRatio,
      },
      params,
      target: { metric: 'ratio', atLeast: TARGET_RATIO, met: ratio >= TARGET_RATIO },
      machine,
    };
    process.stdout.write(formatResult(throughputResult) + '\n');

    const maxRate = app.pageCacheMBps / (batch.length / MB);
    const rate = maxRate / 2;
    const lat = await pacedLatency(join(work, 'latency'), batch, rate, quick ? 3 : 10);
    process.stdout.write(
      formatResult({ name: 'replication-append-latency', unit: 'ms', metrics: { ...lat, ratePerSec: rate, maxRatePerSec: maxRate }, params: { ...params, load: '50% of max rate' }, machine }) + '\n',
    );
    await rm(join(work, 'latency'), { recursive: true, force: true });

    const read = await coldRead(join(work, 'tput'), 1 * MB);
    process.stdout.write(
      formatResult({ name: 'replication-cold-segment-read', unit: 'MB/s', metrics: { readMBps: read.MBps }, params: { ...params, readMaxBytes: MB, pageCacheDropped: read.cold }, machine }) + '\n',
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
