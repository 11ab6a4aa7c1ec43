// The public shapes of PartitionLeader: options, produce and fetch requests and their results.
import type { ErrorCode } from '@stratus/kafka-errors';
import type { TimestampPolicy } from './produce-validation';
import type { RecoveryError } from './recovery';
import type { ReplicaPort } from './replica-port';
import type { Epoch, ReplicaId } from './types';

/** How the leader waits and defers, injected so the simulation can drive time deterministically. */
export interface LeaderScheduler {
  /** Runs `task` after the current synchronous work (group commit collects batches until then). */
  defer(task: () => void): void;
  sleep(ms: number): Promise<void>;
}

export const realScheduler: LeaderScheduler = {
  defer: (task) => queueMicrotask(task),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PartitionLeaderOptions {
  readonly epoch: Epoch;
  readonly replicas: readonly ReplicaPort[];
  /** W = min.insync.replicas (default 2 of 3); W + majority must exceed N. */
  readonly minInsyncReplicas: number;
  /** max.message.bytes of the topic. */
  readonly maxMessageBytes: number;
  readonly timestamps?: TimestampPolicy;
  /** Broker wall clock in ms. */
  readonly clock?: () => bigint;
  /** Budget of the hot tail cache in bytes. */
  readonly tailCacheBytes?: number;
  /** Group commit: the most bytes one replication Append carries. */
  readonly maxAppendBytes?: number;
  /**
   * Group commit window: at most this many Appends in flight per partition (default 2). Produces
   * arriving while it is full leave together in the next Append, so batching grows with load.
   */
  readonly maxInFlightAppends?: number;
  /** How far back from the log end producer state is rebuilt after recovery. */
  readonly producerStateScanOffsets?: bigint;
  readonly scheduler?: LeaderScheduler;
  /** Pause between attempts to bring a lagging replica back in sync. */
  readonly retryBackoffMs?: number;
  /** Told once when the leader stops serving. */
  readonly onStop?: (reason: StopReason) => void;
}

export type StopReason =
  /** A replica promised a newer epoch: another broker leads now. */
  | { readonly kind: 'fenced'; readonly promisedEpoch: Epoch }
  /** The broker gave the partition up (lease lost, shutdown, reassignment). */
  | { readonly kind: 'resigned' };

export type LeaderStartError = RecoveryError | { readonly code: 'UNAVAILABLE'; readonly message: string };

/** acks: 0 (no answer is sent), 1 (one replica has it), -1 = all (min.insync.replicas have it). */
export type Acks = 0 | 1 | -1;

export interface ProduceRequest {
  /** The partition's records field: one or more RecordBatch v2, rewritten in place with offsets. */
  readonly records: Buffer;
  readonly acks: Acks;
}

export interface ProduceSuccess {
  readonly baseOffset: bigint;
  /** -1 unless the topic uses LogAppendTime. */
  readonly logAppendTimeMs: bigint;
  readonly logStartOffset: bigint;
}

export interface PartitionError {
  readonly code: ErrorCode;
  readonly message: string;
  /** For batch validation errors: the index of the offending batch (KIP-467 record_errors). */
  readonly batchIndex?: number;
}

export interface FetchRequest {
  readonly offset: bigint;
  readonly maxBytes: number;
  /** KIP-320: the leader epoch the client believes current; fenced or unknown epochs are refused. */
  readonly currentLeaderEpoch?: number;
  /**
   * Follower fetching (KIP-392), done inside the broker: when the tail cache cannot serve, replicas
   * this predicate accepts (those in the client's AZ) are read first, the others only as fallback.
   */
  readonly preferReplica?: (id: ReplicaId) => boolean;
  /** Told which replica served a read that missed the tail cache (for cross-AZ read metrics). */
  readonly onReplicaRead?: (id: ReplicaId) => void;
}

export interface FetchSuccess {
  /** Whole batches, all below the high watermark. */
  readonly records: Buffer;
  readonly highWatermark: bigint;
  readonly logStartOffset: bigint;
  /** Where the next fetch starts. */
  readonly nextOffset: bigint;
}

export interface LeaderSnapshot {
  readonly epoch: Epoch;
  readonly serving: boolean;
  readonly highWatermark: bigint;
  readonly logEnd: bigint;
  /** The durable log start over both tiers (DeleteRecords, KIP-107): nothing below it is served. */
  readonly logStart: bigint;
  /**
   * The first offset the hot tier served when this leadership was recovered (>= logStart): the
   * answer to ListOffsets -4 (EARLIEST_LOCAL, KIP-405). Local retention only moves it up later, so
   * below it a read goes straight to tiered storage; above it a hot read may still fail once.
   */
  readonly localLogStart: bigint;
  readonly inSync: readonly ReplicaId[];
}
