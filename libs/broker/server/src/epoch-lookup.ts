// Leader-epoch cache queries over a leader's epoch history (KIP-101, KIP-279, KIP-320).
import type { EpochStart } from '@stratus/broker-partition';

export interface EpochEnd {
  readonly epoch: number;
  readonly endOffset: bigint;
}

export const UNDEFINED_EPOCH_END: EpochEnd = { epoch: -1, endOffset: -1n };

/**
 * OffsetForLeaderEpoch: the largest epoch <= `requested` and where it ended (the start of the
 * next epoch), or the log end for the latest epoch. A requested epoch above every known one is
 * undefined; one below the first known epoch ends where the first known one starts.
 */
export function endOffsetFor(history: readonly EpochStart[], requested: number, logEnd: bigint): EpochEnd {
  if (requested < 0 || history.length === 0) return UNDEFINED_EPOCH_END;
  const latest = history[history.length - 1] as EpochStart;
  if (requested === latest.epoch) return { epoch: requested, endOffset: logEnd };
  const higher = history.findIndex((e) => e.epoch > requested);
  if (higher < 0) return UNDEFINED_EPOCH_END;
  const next = history[higher] as EpochStart;
  if (higher === 0) return { epoch: requested, endOffset: next.startOffset };
  return { epoch: (history[higher - 1] as EpochStart).epoch, endOffset: next.startOffset };
}

/** The epoch under which `offset` was written (the last entry starting at or before it), or -1. */
export function epochAt(history: readonly EpochStart[], offset: bigint): number {
  let found = -1;
  for (const e of history) if (e.startOffset <= offset) found = e.epoch;
  return found;
}
