// Pure functions over an epoch history (ordered (epoch, startOffset) pairs), as Kafka's leader
// epoch cache uses them (KIP-101, KIP-279). Kept here rather than imported: the broker may not
// depend on the replication node's code, and both must agree only on the rules, not the code.
import type { Epoch, EpochStart } from './types';

/** The last entry, i.e. the epoch that wrote (or marked) the log's end. */
export function lastEpoch(history: readonly EpochStart[]): Epoch | undefined {
  return history[history.length - 1]?.epoch;
}

/**
 * OffsetForLeaderEpoch: for `epoch`, the largest epoch in `history` that is <= it, and where that
 * epoch ends in this log — the start of the next entry, or `logEnd`. Undefined when every epoch
 * in the history is newer than `epoch`.
 */
export function endOffsetFor(
  history: readonly EpochStart[],
  logEnd: bigint,
  epoch: Epoch,
): { readonly epoch: Epoch; readonly endOffset: bigint } | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const entry = history[i] as EpochStart;
    if (entry.epoch <= epoch) {
      const next = history[i + 1];
      return { epoch: entry.epoch, endOffset: next ? next.startOffset : logEnd };
    }
  }
  return undefined;
}

/**
 * Records that `epoch` starts at `startOffset`. Unchanged when it is already the last epoch. An
 * older epoch starting at the same offset covered no record and is dropped (Kafka's cache does the
 * same), so no two entries share a start offset.
 * @throws Error when the entry would go backwards: a bug in the caller, since the replica rules
 * only ever assign at the log end under the promised epoch.
 */
export function assignEpoch(history: readonly EpochStart[], epoch: Epoch, startOffset: bigint): readonly EpochStart[] {
  const last = history[history.length - 1];
  if (last && last.epoch === epoch) return history;
  if (last && (epoch < last.epoch || startOffset < last.startOffset)) {
    throw new Error(`epoch history cannot go back: (${epoch}, ${startOffset}) after (${last.epoch}, ${last.startOffset})`);
  }
  return [...history.filter((e) => e.startOffset < startOffset), { epoch, startOffset }];
}

/** The history after the log was cut to end at `offset`: entries starting at or above it go. */
export function truncateHistory(history: readonly EpochStart[], offset: bigint): readonly EpochStart[] {
  return history.filter((e) => e.startOffset < offset);
}

/**
 * The Raft "more up to date" order used to pick the recovery source (design note, recovery step 2):
 * higher last epoch first, then higher log end. Positive when `a` is more up to date.
 */
export function compareLogs(
  a: { readonly epochHistory: readonly EpochStart[]; readonly logEnd: bigint },
  b: { readonly epochHistory: readonly EpochStart[]; readonly logEnd: bigint },
): number {
  const ea = lastEpoch(a.epochHistory) ?? -1;
  const eb = lastEpoch(b.epochHistory) ?? -1;
  if (ea !== eb) return ea - eb;
  return a.logEnd === b.logEnd ? 0 : a.logEnd > b.logEnd ? 1 : -1;
}
