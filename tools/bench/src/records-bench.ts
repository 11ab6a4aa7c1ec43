// Benchmark: RecordBatch v2 validation + in-place offset assignment without decompression — the
// leader's per-batch work on the produce path (issue 3 target: ≥ 1 GB/s on one core).
// Run: npx nx run bench:bench-records   (or node -r @swc-node/register tools/bench/src/records-bench.ts)
// Prints one JSON BenchResult per scenario on stdout.
import { randomBytes } from 'node:crypto';
import { assignOffsets, buildBatch, computeBatchCrc, validateBatch, type CompressionName } from '@stratus/kafka-records';
import { measure, throughput, type MeasureOptions } from './measure';
import { formatResult, machineInfo, type BenchResult } from './result';

const TARGET_GBPS = 1;

export interface RecordsBenchOptions extends MeasureOptions {
  /** Target size of each batch in bytes. */
  readonly batchBytes: number;
  readonly recordBytes: number;
  readonly compression: CompressionName;
  /** Also stamp LogAppendTime, which costs a second CRC pass. */
  readonly logAppendTime: boolean;
}

export function makeBatches(options: Pick<RecordsBenchOptions, 'batchBytes' | 'recordBytes' | 'compression'>): Buffer[] {
  const count = Math.max(1, Math.floor(options.batchBytes / (options.recordBytes + 16)));
  // Several distinct batches, so the loop is not served from one hot cache line set.
  return Array.from({ length: 16 }, () =>
    buildBatch({
      compression: options.compression,
      producerId: 1000n,
      producerEpoch: 0,
      baseSequence: 0,
      records: Array.from({ length: count }, (_, i) => ({ key: `key-${i}`, value: randomBytes(options.recordBytes) })),
    }),
  );
}

/**
 * One produce-path step on batch `i mod n`: validate as a producer batch, then assign offsets (and
 * LogAppendTime when asked) in place. The producer's batch always arrives with baseOffset 0, so that is
 * restored first (8 bytes, outside the CRC).
 */
export function makeStep(batches: readonly Buffer[], options: { readonly logAppendTime: boolean }): (i: number) => void {
  let nextOffset = 0n;
  const n = batches.length;
  return (i) => {
    const batch = batches[i % n] as Buffer;
    batch.writeBigInt64BE(0n, 0);
    const checked = validateBatch(batch, { maxBatchBytes: 64 * 1024 * 1024 });
    if (!checked.ok) throw new Error(`bench batch invalid: ${checked.error.message}`);
    const assigned = assignOffsets(batch, {
      baseOffset: nextOffset,
      partitionLeaderEpoch: 3,
      logAppendTime: options.logAppendTime ? 1_800_000_000_000n : undefined,
    });
    nextOffset = assigned.lastOffset + 1n;
  };
}

export function runRecordsBench(options: RecordsBenchOptions): BenchResult {
  const batches = makeBatches(options);
  const batchBytes = (batches[0] as Buffer).length;
  const m = measure(makeStep(batches, options), options);
  const bytesPerSec = throughput(m, batchBytes);
  // The ceiling: the native CRC-32C pass alone over the same batches. Validation + re-offset should sit
  // close to it; a large gap means per-batch overhead crept into the hot path.
  const crcOnly = measure((i) => computeBatchCrc(batches[i % batches.length] as Buffer), options);
  const gbps = bytesPerSec / 1e9;
  return {
    name: `records.validate-and-assign-offsets${options.logAppendTime ? '.log-append-time' : ''}`,
    unit: 'GB/s',
    metrics: {
      gbPerSec: gbps,
      mbPerSec: bytesPerSec / 1e6,
      crcOnlyGbPerSec: throughput(crcOnly, batchBytes) / 1e9,
      batchesPerSec: m.iterations / (Number(m.elapsedNs) / 1e9),
      bytes: m.iterations * batchBytes,
      iterations: m.iterations,
      elapsedMs: Number(m.elapsedNs) / 1e6,
    },
    params: {
      batchBytes,
      recordBytes: options.recordBytes,
      compression: options.compression,
      logAppendTime: options.logAppendTime,
    },
    target: { metric: 'gbPerSec', atLeast: TARGET_GBPS, met: gbps >= TARGET_GBPS },
    machine: machineInfo(),
  };
}

function main(): void {
  const quick = process.argv.includes('--quick');
  const timing = { minDurationMs: quick ? 300 : 2000, warmupMs: quick ? 300 : 500 };
  const scenarios: Omit<RecordsBenchOptions, keyof MeasureOptions>[] = [
    { batchBytes: 16 * 1024, recordBytes: 512, compression: 'none', logAppendTime: false },
    { batchBytes: 1024 * 1024, recordBytes: 1024, compression: 'none', logAppendTime: false },
    { batchBytes: 1024 * 1024, recordBytes: 1024, compression: 'lz4', logAppendTime: false },
    { batchBytes: 1024 * 1024, recordBytes: 1024, compression: 'none', logAppendTime: true },
  ];
  for (const s of scenarios) process.stdout.write(formatResult(runRecordsBench({ ...s, ...timing })) + '\n');
}

if (require.main === module) main();
