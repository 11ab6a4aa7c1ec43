// The invariants of design/replication-protocol.md, checked on the final state of a run.
import { readRecords } from '@stratus/kafka-records';
import type { MemoryReplica } from '../memory-replica';
import type { Ledger } from './sim-actors';

export interface FinalState {
  readonly replicas: readonly MemoryReplica[];
  /** The final leader's high watermark once everything settled. */
  readonly committed: bigint;
  readonly ledger: Ledger;
  /** Epoch → brokers whose appends some replica accepted under it. */
  readonly appendBrokers: ReadonlyMap<number, ReadonlySet<string>>;
  /** Whether the final leader settled (the log checks need it). */
  readonly checkFinal: boolean;
}

export function checkInvariants(state: FinalState): void {
  const v = state.ledger.violations;
  checkEpochs(state, v);
  if (!state.checkFinal) return;

  // I3: every replica's log is dense; all three hold the same batches below the committed offset.
  const reference = denseLog(state.replicas[0] as MemoryReplica, v);
  const committedBatches = (r: MemoryReplica) => r.batches().filter((f) => f.baseOffset < state.committed);
  const expected = committedBatches(state.replicas[0] as MemoryReplica);
  for (const r of state.replicas.slice(1)) {
    const mine = committedBatches(r);
    const differs = mine.length !== expected.length || mine.some((f, i) => !f.bytes.equals((expected[i] as typeof f).bytes));
    if (differs) v.push(`I3: ${r.id} and ${state.replicas[0]?.id} hold different committed batches`);
    checkContiguous(r, v);
  }
  for (let o = 0n; o < state.committed; o++) if (!reference.has(o)) v.push(`I3: committed offset ${o} holds no record`);

  // I1: every acknowledged acks=all record is there, unchanged, at its offset.
  for (const [value, offset] of state.ledger.acked) {
    if (offset >= state.committed) v.push(`I1: acknowledged ${value} at ${offset} lies above the final HW ${state.committed}`);
    else if (reference.get(offset) !== value) v.push(`I1: acknowledged ${value} at ${offset}, the log holds ${reference.get(offset) ?? 'nothing'}`);
  }
  // I2: whatever a consumer was served is what the offset holds for good.
  for (const [offset, value] of state.ledger.served) {
    if (reference.get(offset) !== value || offset >= state.committed) v.push(`I2: served ${value} at ${offset}, the log now holds ${reference.get(offset) ?? 'nothing'}`);
  }
  // I5: an idempotent producer's batch (pid, epoch, sequence) appears at most once.
  const seen = new Map<string, bigint>();
  for (const [offset, value] of reference) {
    if (offset >= state.committed || value.startsWith('plain')) continue;
    const first = seen.get(value);
    if (first !== undefined) v.push(`I5: ${value} appears at ${first} and at ${offset}`);
    else seen.set(value, offset);
  }
}

/** I4: one broker per epoch, and no replica ever accepts an append from an older epoch after a newer one. */
function checkEpochs(state: FinalState, v: string[]): void {
  for (const [e, brokers] of state.appendBrokers) if (brokers.size > 1) v.push(`I4: epoch ${e} had appends accepted from ${[...brokers].join(', ')}`);
  for (const r of state.replicas) {
    let last = -1;
    for (const a of r.acceptedAppends()) {
      if (a.epoch < last) v.push(`I4: ${r.id} accepted an append of epoch ${a.epoch} after epoch ${last}`);
      last = Math.max(last, a.epoch);
    }
  }
}

/** offset → record value of a replica's whole log; reports gaps and overlaps (I3). */
function denseLog(r: MemoryReplica, v: string[]): Map<bigint, string> {
  const out = new Map<bigint, string>();
  let expected = r.state().logStart;
  for (const frame of r.batches()) {
    if (frame.baseOffset !== expected) v.push(`I3: ${r.id} has a batch at ${frame.baseOffset}, expected ${expected}`);
    const records = readRecords(frame.bytes);
    if (!records.ok) {
      v.push(`I3: ${r.id} holds an unreadable batch at ${frame.baseOffset}: ${records.error.message}`);
      continue;
    }
    for (const rec of records.value) out.set(rec.offset, rec.value?.toString('utf8') ?? '');
    expected = frame.endOffset;
  }
  return out;
}

function checkContiguous(r: MemoryReplica, v: string[]): void {
  let expected = r.state().logStart;
  for (const frame of r.batches()) {
    if (frame.baseOffset !== expected) v.push(`I3: ${r.id} has a batch at ${frame.baseOffset}, expected ${expected}`);
    expected = frame.endOffset;
  }
}
