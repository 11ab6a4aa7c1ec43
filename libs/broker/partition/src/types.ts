// Identifiers and small value types of the partition-leader core. Offsets are int64 → bigint;
// epochs are int32 (Kafka's partitionLeaderEpoch field).

declare const epochBrand: unique symbol;
/** A partition leader epoch: assigned by the controller, strictly increasing per partition. */
export type Epoch = number & { readonly [epochBrand]: 'Epoch' };

declare const replicaIdBrand: unique symbol;
/** A replication node's id within a partition's replica set. */
export type ReplicaId = string & { readonly [replicaIdBrand]: 'ReplicaId' };

const INT32_MAX = 2 ** 31 - 1;

export function epoch(value: number): Epoch {
  if (!Number.isInteger(value) || value < 0 || value > INT32_MAX) throw new RangeError(`leader epoch must be an int32 >= 0, got ${value}`);
  return value as Epoch;
}

export function replicaId(value: string): ReplicaId {
  if (value.length === 0) throw new RangeError('replica id must not be empty');
  return value as ReplicaId;
}

/** One epoch-history entry: the first offset written (or marked) under `epoch` (KIP-101). */
export interface EpochStart {
  readonly epoch: Epoch;
  readonly startOffset: bigint;
}

/** Errors as values: the domain never throws for an expected refusal. */
export type Outcome<T, E> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export const success = <T>(value: T): { readonly ok: true; readonly value: T } => ({ ok: true, value });
export const failure = <E>(error: E): { readonly ok: false; readonly error: E } => ({ ok: false, error });

export const maxBigint = (a: bigint, b: bigint): bigint => (a > b ? a : b);
export const minBigint = (a: bigint, b: bigint): bigint => (a < b ? a : b);
