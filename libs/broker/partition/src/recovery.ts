// Leader recovery, design/replication-protocol.md "Leader recovery" steps 1–4 (step 5, serving,
// is PartitionLeader's). A broker taking a partition at epoch e runs this before anything else.
import { assignEpoch, compareLogs } from './epoch-history';
import { reconcile } from './reconcile';
import type { ReplicaLogState, ReplicaPort } from './replica-port';
import { failure, success, type Epoch, type EpochStart, type Outcome, type ReplicaId } from './types';

export interface RecoverLeadershipOptions {
  readonly epoch: Epoch;
  /** The partition's replica set (N = 3 in Stratus). */
  readonly replicas: readonly ReplicaPort[];
  /** W = min.insync.replicas. */
  readonly writeQuorum: number;
}

export interface RecoveredReplica {
  readonly id: ReplicaId;
  /** Whether it holds exactly [logStart, logEnd) of the truth and the epoch-start mark. */
  readonly inSync: boolean;
  /** Its log end as last reported (meaningful for in-sync replicas: equals logEnd). */
  readonly logEnd: bigint;
}

export interface RecoveredLeadership {
  readonly epoch: Epoch;
  readonly source: ReplicaId;
  /** The durable log start over both tiers: the highest logical start of the quorum (KIP-107). */
  readonly logStart: bigint;
  /**
   * The first offset the hot tier serves: the source's first servable offset (never below
   * logStart). Below it, in [logStart, localLogStart), records live only in tiered storage
   * (ListOffsets -4, EARLIEST_LOCAL, KIP-405).
   */
  readonly localLogStart: bigint;
  /** E: the end of the truth, and the new high watermark (step 5). */
  readonly logEnd: bigint;
  /** The source's history with (epoch, E) assigned: the leader's own history from now on. */
  readonly epochHistory: readonly EpochStart[];
  readonly replicas: readonly RecoveredReplica[];
}

export type RecoveryError =
  /** Some replica promised a newer epoch: this leadership is already superseded. */
  | { readonly code: 'FENCED'; readonly promisedEpoch: Epoch }
  /** Fewer than Q replicas answered Fence, or fewer than W could be brought up to E and marked. */
  | { readonly code: 'NO_QUORUM'; readonly step: 'fence' | 'mark'; readonly reached: number; readonly needed: number }
  | { readonly code: 'INVALID_CONFIG'; readonly message: string };

/**
 * Runs recovery steps 1–4. On success every replica reported in sync holds the truth up to E
 * and records that `epoch` starts at E; at least W of them do.
 *
 * Run it at most once per epoch. A failed run may already have marked `epoch` at its E on some
 * replicas; a second run under the same epoch could settle on another E (other replicas
 * answering) and leave two histories claiming that `epoch` starts at different offsets. That
 * breaks the log-matching property the divergence search relies on, and a later recovery could
 * pick the wrong source. After a failure the broker needs a new epoch from the controller.
 */
export async function recoverLeadership(options: RecoverLeadershipOptions): Promise<Outcome<RecoveredLeadership, RecoveryError>> {
  const { epoch, replicas, writeQuorum } = options;
  const n = replicas.length;
  const q = Math.floor(n / 2) + 1;
  // Durability of acks=all needs W + Q > N: every committed record is on some recovery quorum member.
  if (n === 0 || writeQuorum < 1 || writeQuorum > n || writeQuorum + q <= n) {
    return failure({ code: 'INVALID_CONFIG', message: `W=${writeQuorum} with N=${n} breaks W + Q > N (Q=${q})` });
  }

  // Step 1: fence everyone, continue with the first Q answers.
  const fenced = await fenceQuorum(replicas, epoch, q);
  if (!fenced.ok) return fenced;
  const answers = fenced.value;

  // Step 2: the most up-to-date log (highest last epoch, then highest end).
  const source = answers.reduce((best, a) => (compareLogs(a.state, best.state) > 0 ? a : best));
  const truth = { epochHistory: source.state.epochHistory, logEnd: source.state.logEnd };
  const end = truth.logEnd;

  // Step 3: cut divergent tails, then copy what is missing from the source.
  let newer: Epoch | undefined;
  const noteFenced = (error: { readonly code: string; readonly promisedEpoch?: Epoch | undefined }): undefined => {
    if (error.code === 'FENCED' && error.promisedEpoch !== undefined) newer = error.promisedEpoch;
    return undefined;
  };
  const synced = await Promise.all(
    answers.map(async (a): Promise<ReplicaPort | undefined> => {
      if (a.port === source.port) return a.port;
      const cut = await reconcile(a.port, epoch, a.state, truth);
      if (!cut.ok) return noteFenced(cut.error);
      if (cut.value.logEnd === end) return a.port;
      // A replica ending below the first offset the source still serves (its first local offset,
      // or its logical start when that is higher) cannot be repaired from it: it needs a reset.
      if (cut.value.logEnd < source.state.logStart) return undefined;
      const copied = await a.port.repair({
        epoch,
        startOffset: cut.value.logEnd,
        endOffset: end,
        source: source.port.id,
        sourceEpochHistory: truth.epochHistory,
      });
      if (!copied.ok) return noteFenced(copied.error);
      return copied.value.logEnd === end ? a.port : undefined;
    }),
  );
  if (newer !== undefined) return failure({ code: 'FENCED', promisedEpoch: newer });

  // Step 4: durably mark that `epoch` starts at E on at least W replicas (Raft's no-op entry).
  const marked: ReplicaId[] = [];
  await Promise.all(
    synced.map(async (port) => {
      if (!port) return;
      const mark = await port.markEpochStart(epoch, end);
      if (mark.ok) marked.push(port.id);
      else noteFenced(mark.error);
    }),
  );
  if (newer !== undefined) return failure({ code: 'FENCED', promisedEpoch: newer });
  if (marked.length < writeQuorum) return failure({ code: 'NO_QUORUM', step: 'mark', reached: marked.length, needed: writeQuorum });

  const logStart = highestLogStart(answers, end);
  const servable = source.state.logStart < end ? source.state.logStart : end;
  return success({
    epoch,
    source: source.port.id,
    logStart,
    localLogStart: servable > logStart ? servable : logStart,
    logEnd: end,
    epochHistory: assignEpoch(truth.epochHistory, epoch, end),
    replicas: replicas.map((r) => ({ id: r.id, inSync: marked.includes(r.id), logEnd: marked.includes(r.id) ? end : -1n })),
  });
}

/**
 * DeleteRecords moved the log start on a write quorum, which intersects every recovery quorum:
 * the highest start among the answers is the true one (never above the end, E). The durable
 * (logical) starts count, not the first local offsets: local retention drops records that live on
 * in tiered storage, and taking its offset would delete them on every replica (spreadLogStart).
 */
function highestLogStart(answers: readonly FenceAnswer[], end: bigint): bigint {
  let start = 0n;
  for (const a of answers) if (a.state.durableLogStart > start) start = a.state.durableLogStart;
  return start < end ? start : end;
}

interface FenceAnswer {
  readonly port: ReplicaPort;
  readonly state: ReplicaLogState;
}

/** Sends Fence to all; resolves with the answers as soon as Q arrived (or all settled). */
function fenceQuorum(replicas: readonly ReplicaPort[], epoch: Epoch, q: number): Promise<Outcome<FenceAnswer[], RecoveryError>> {
  return new Promise((resolve) => {
    const answers: FenceAnswer[] = [];
    let settled = 0;
    let done = false;
    const finish = (value: Outcome<FenceAnswer[], RecoveryError>): void => {
      if (done) return;
      done = true;
      resolve(value);
    };
    for (const port of replicas) {
      port.fence(epoch).then(
        (result) => {
          settled++;
          if (result.ok) answers.push({ port, state: result.value });
          else if (result.error.code === 'FENCED') finish(failure({ code: 'FENCED', promisedEpoch: result.error.promisedEpoch }));
          if (answers.length >= q) finish(success([...answers]));
          else if (settled === replicas.length) finish(failure({ code: 'NO_QUORUM', step: 'fence', reached: answers.length, needed: q }));
        },
        () => {
          // A port that throws broke its contract (faults are values); count it as no answer.
          settled++;
          if (settled === replicas.length && answers.length < q) {
            finish(failure({ code: 'NO_QUORUM', step: 'fence', reached: answers.length, needed: q }));
          }
        },
      );
    }
  });
}
