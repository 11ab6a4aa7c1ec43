// Test support (not exported): a partition of in-memory replicas, producer batches, a manager
// wired to them, and a fake bidirectional stream.
import { EventEmitter } from 'node:events';
import { MemoryReplica, replicaId, type ReplicaPort } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import { buildBatch, readRecords } from '@stratus/kafka-records';
import { LeadershipManager, type Log, type LeadershipManagerOptions } from './leadership-manager';
import type { Assignment, TopicView } from './types';

export const TENANT = 't-1';
export const TOPIC_ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
export const TOPIC_HEX = TOPIC_ID.toString('hex');
export const ref = (partition: number): commonV1.PartitionRef => ({ topicId: { value: TOPIC_ID }, partition });

export const silentLog: Log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Log;

export function batch(values: readonly string[], options: { producerId?: bigint; producerEpoch?: number; baseSequence?: number; timestamp?: bigint; step?: bigint } = {}): Buffer {
  const base = options.timestamp ?? 1_700_000_000_000n;
  return buildBatch({
    records: values.map((value, i) => ({ value, timestamp: base + BigInt(i) * (options.step ?? 0n) })),
    baseTimestamp: options.timestamp ?? 1_700_000_000_000n,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    baseSequence: options.baseSequence,
  });
}

export function values(records: Uint8Array): string[] {
  const buf = Buffer.from(records.buffer, records.byteOffset, records.byteLength);
  const out: string[] = [];
  let at = 0;
  while (at < buf.length) {
    const size = buf.readInt32BE(at + 8) + 12;
    const decoded = readRecords(buf.subarray(at, at + size));
    if (!decoded.ok) throw new Error(decoded.error.message);
    for (const r of decoded.value) out.push(r.value?.toString('utf8') ?? '');
    at += size;
  }
  return out;
}

/** One MemoryReplica per (node, partition), created on first use, reachable as a repair peer. */
export class ReplicaFarm {
  readonly replicas = new Map<string, MemoryReplica>();
  /** Ports handed out, per node: tests wrap or break them. */
  wrap: (node: string, port: ReplicaPort) => ReplicaPort = (_node, port) => port;

  replica(node: string, partition: commonV1.PartitionRef): MemoryReplica {
    const key = `${node}:${partition.partition}`;
    let r = this.replicas.get(key);
    if (!r) {
      r = new MemoryReplica({ id: replicaId(node), resolvePeer: (id) => this.replicas.get(`${id}:${partition.partition}`) });
      this.replicas.set(key, r);
    }
    return r;
  }

  port = (node: string, partition: commonV1.PartitionRef): ReplicaPort => this.wrap(node, this.replica(node, partition));
}

export const NODES = ['r-a', 'r-b', 'r-c'] as const;

export function assignment(partition: number, overrides: Partial<Assignment> = {}): Assignment {
  return { partition: ref(partition), tenantId: TENANT, leaderNodeId: 'b-1', leaderEpoch: 1, leaderGeneration: 7n, replicaNodeIds: [...NODES], ...overrides };
}

export function topics(configs: Record<string, string> = {}, partitionCount = 8): (hex: string) => TopicView | undefined {
  return (hex) => (hex === TOPIC_HEX ? { tenantId: TENANT, partitionCount, configs } : undefined);
}

export function manager(farm: ReplicaFarm, overrides: Partial<LeadershipManagerOptions> = {}): LeadershipManager {
  const m = new LeadershipManager({ nodeId: 'b-1', replicaPorts: farm.port, topics: topics(), log: silentLog, leaderOptions: { retryBackoffMs: 5 }, ...overrides });
  m.setGeneration(7n);
  return m;
}

export async function until(condition: () => boolean, what = 'condition'): Promise<void> {
  for (let i = 0; i < 1000 && !condition(); i++) await new Promise((resolve) => setTimeout(resolve, 2));
  if (!condition()) throw new Error(`timed out waiting for ${what}`);
}

/** A stand-in for grpc-js's ServerDuplexStream: push requests in, collect written responses. */
export class FakeDuplex<Req, Res> extends EventEmitter {
  readonly written: Res[] = [];
  ended = false;
  paused = false;

  push(request: Req): void {
    this.emit('data', request);
  }

  finish(): void {
    this.emit('end');
  }

  write(response: Res): boolean {
    this.written.push(response);
    return true;
  }

  end(): void {
    this.ended = true;
  }

  pause(): this {
    this.paused = true;
    return this;
  }

  resume(): this {
    this.paused = false;
    return this;
  }
}

/** Holds a replica's Append answers until released (a slow or partitioned replica). */
export class Holds {
  private readonly held = new Set<string>();
  private waiting: { node: string; release: () => void }[] = [];

  hold(node: string): void {
    this.held.add(node);
  }

  release(node: string): void {
    this.held.delete(node);
    const go = this.waiting.filter((w) => w.node === node);
    this.waiting = this.waiting.filter((w) => w.node !== node);
    for (const w of go) w.release();
  }

  wrap = (node: string, port: ReplicaPort): ReplicaPort => ({
    id: port.id,
    fence: (e) => port.fence(e),
    append: async (request) => {
      if (this.held.has(node)) await new Promise<void>((release) => this.waiting.push({ node, release }));
      return port.append(request);
    },
    truncate: (e, o) => port.truncate(e, o),
    markEpochStart: (e, o) => port.markEpochStart(e, o),
    repair: (r) => port.repair(r),
    read: (r) => port.read(r),
    advanceLogStart: (e, o) => port.advanceLogStart(e, o),
  });
}
