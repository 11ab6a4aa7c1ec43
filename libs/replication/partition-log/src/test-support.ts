// Test support (not exported): temp partition directories and replicas opened on them.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FileIo } from './file-io';
import { NodeFileIo } from './file-io';
import { PartitionReplica, type PartitionReplicaOptions } from './partition-replica';
import type { Result } from './errors';
import { DEFAULT_PARTITION_LOG_CONFIG, partitionKey, type Clock, type PartitionLogConfig } from './types';

export const TOPIC = '0123456789abcdef0123456789abcdef';

export async function tempDir(prefix: string): Promise<{ path: string; remove: () => Promise<void> }> {
  const path = await mkdtemp(join(tmpdir(), `stratus-${prefix}-`));
  return { path, remove: () => rm(path, { recursive: true, force: true }) };
}

export interface OpenOptions {
  readonly io?: FileIo;
  readonly config?: Partial<PartitionLogConfig>;
  readonly clock?: Clock;
  readonly extra?: Partial<PartitionReplicaOptions>;
}

export function openReplica(dir: string, o: OpenOptions = {}): Promise<PartitionReplica> {
  return PartitionReplica.open({
    key: partitionKey(TOPIC, 0),
    dir,
    io: o.io ?? new NodeFileIo(),
    config: { ...DEFAULT_PARTITION_LOG_CONFIG, indexIntervalBytes: 256, ...o.config },
    ...(o.clock ? { clock: o.clock } : {}),
    ...o.extra,
  });
}

/** Unwraps a successful result, failing the test with the error otherwise. */
export function must<T>(r: Result<T>): T {
  if (!r.ok) throw new Error(`expected success, got ${r.error.code}: ${r.error.message}`);
  return r.value;
}

export function errorCode<T>(r: Result<T>): string | undefined {
  return r.ok ? undefined : r.error.code;
}

export class ManualClock implements Clock {
  constructor(public ms = 1_700_000_000_000) {}
  now(): number {
    return this.ms;
  }
}
