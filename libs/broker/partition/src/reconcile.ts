// Recovery step 3 for one replica: find where its log diverges from the truth using the epoch
// histories, as Kafka followers do with OffsetForLeaderEpoch, and cut it there; repeat until the
// histories agree (KIP-279: one round is not always enough when a replica saw several epochs the
// truth never had).
import { endOffsetFor, lastEpoch } from './epoch-history';
import type { ReplicaLogState, ReplicaPort, ReplicaResult } from './replica-port';
import { failure, minBigint, success, type Epoch, type EpochStart } from './types';

export interface Truth {
  readonly epochHistory: readonly EpochStart[];
  readonly logEnd: bigint;
}

/**
 * The offset below which `replica`'s log agrees with `truth`, or undefined when it already agrees
 * up to its own log end. Pure: one OffsetForLeaderEpoch round.
 */
export function divergencePoint(replica: Pick<ReplicaLogState, 'promisedEpoch' | 'logStart' | 'logEnd' | 'epochHistory'>, truth: Truth): bigint | undefined {
  const k = lastEpoch(replica.epochHistory);
  if (k === undefined) return replica.logEnd > replica.logStart ? replica.logStart : undefined;
  const theirs = endOffsetFor(truth.epochHistory, truth.logEnd, k);
  // Truth never had any epoch this old: nothing of this log is known to be shared.
  if (!theirs) return replica.logEnd > replica.logStart ? replica.logStart : undefined;
  let point: bigint;
  if (theirs.epoch === k) {
    point = minBigint(theirs.endOffset, replica.logEnd);
  } else {
    // Truth lacks epoch k: the replica keeps at most what its own epoch `theirs.epoch` covered.
    const mine = endOffsetFor(replica.epochHistory, replica.logEnd, theirs.epoch);
    point = minBigint(theirs.endOffset, mine?.endOffset ?? replica.logStart);
  }
  if (point < replica.logEnd) return point;
  if (theirs.epoch === k || replica.logEnd === replica.logStart) return undefined;
  // Every record agrees, but the history ends in an epoch mark (a MarkEpochStart of a recovery
  // that did not finish) newer than the epoch of the truth's next records. Copied batches could
  // not follow it (a history never goes back), and truncating at the log end keeps the mark, so
  // cut into the last batch: the truncation rounds down to its start and drops the mark with it.
  return replica.logEnd - 1n;
}

export type ReconcileOutcome = ReplicaResult<ReplicaLogState> | { readonly ok: false; readonly error: { readonly code: 'CANNOT_TRUNCATE'; readonly offset: bigint } };

/**
 * Truncates `port` until its log is a prefix of `truth`. `state` is what its Fence returned.
 * Fails with CANNOT_TRUNCATE when the divergence lies below the replica's log start (it would need
 * a full reset, which only an operator or a replica-set change may do).
 */
export async function reconcile(port: ReplicaPort, epoch: Epoch, state: ReplicaLogState, truth: Truth): Promise<ReconcileOutcome> {
  let current = state;
  // Each round removes at least one epoch from the replica's history, so this bound is never hit
  // by a correct replica; it turns a misbehaving one into an error instead of a loop.
  for (let round = 0; round <= state.epochHistory.length + 1; round++) {
    const point = divergencePoint(current, truth);
    if (point === undefined) return success(current);
    if (point < current.logStart) return failure({ code: 'CANNOT_TRUNCATE', offset: point });
    const cut = await port.truncate(epoch, point);
    if (!cut.ok) return cut;
    if (cut.value.logEnd === current.logEnd && sameHistory(cut.value.epochHistory, current.epochHistory)) {
      return failure({ code: 'CANNOT_TRUNCATE', offset: point });
    }
    current = cut.value;
  }
  return failure({ code: 'CANNOT_TRUNCATE', offset: current.logEnd });
}

function sameHistory(a: readonly EpochStart[], b: readonly EpochStart[]): boolean {
  return a.length === b.length && a.every((e, i) => e.epoch === b[i]?.epoch && e.startOffset === b[i]?.startOffset);
}
