// Test helpers: producer batches and a cluster of in-memory replicas. Not exported from index.ts.
import { buildBatch, readRecords } from '@stratus/kafka-records';
import { MemoryReplica } from '../memory-replica';
import type { ReplicaPort } from '../replica-port';
import { replicaId, type ReplicaId } from '../types';

export interface TestBatchOptions {
  readonly values: readonly string[];
  readonly producerId?: bigint;
  readonly producerEpoch?: number;
  readonly baseSequence?: number;
  readonly timestamp?: bigint;
}

/** A batch as a producer sends it (baseOffset 0). */
export function producerBatch(options: TestBatchOptions): Buffer {
  return buildBatch({
    records: options.values.map((value) => ({ value })),
    baseTimestamp: options.timestamp ?? 1_700_000_000_000n,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    baseSequence: options.baseSequence,
  });
}

/** Record values of a message set, with their offsets. */
export function valuesOf(records: Buffer): { offset: bigint; value: string }[] {
  const out: { offset: bigint; value: string }[] = [];
  let at = 0;
  while (at < records.length) {
    const size = records.readInt32BE(at + 8) + 12;
    const batch = records.subarray(at, at + size);
    const decoded = readRecords(batch);
    if (!decoded.ok) throw new Error(decoded.error.message);
    for (const r of decoded.value) out.push({ offset: r.offset, value: r.value?.toString('utf8') ?? '' });
    at += size;
  }
  return out;
}

export interface TestCluster {
  readonly replicas: MemoryReplica[];
  readonly ports: ReplicaPort[];
  byId(id: ReplicaId): MemoryReplica | undefined;
}

/** Three in-memory replicas that repair from each other directly. */
export function memoryCluster(n = 3): TestCluster {
  const replicas: MemoryReplica[] = [];
  const byId = (id: ReplicaId): MemoryReplica | undefined => replicas.find((r) => r.id === id);
  for (let i = 0; i < n; i++) replicas.push(new MemoryReplica({ id: replicaId(`r${i}`), resolvePeer: byId }));
  return { replicas, ports: replicas, byId };
}
