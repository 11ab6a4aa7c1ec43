// Builds replica logs directly under given epochs, to set up recovery scenarios.
import { assignOffsets } from '@stratus/kafka-records';
import type { MemoryReplica } from '../memory-replica';
import { epoch } from '../types';
import { producerBatch } from './batches';

/** Fences `r` with `e` and appends one single-record batch per value at its log end. */
export async function write(r: MemoryReplica, e: number, values: string[]): Promise<void> {
  const fenced = await r.fence(epoch(e));
  if (!fenced.ok) throw new Error(`fence ${e} failed: ${fenced.error.code}`);
  for (const value of values) {
    const base = r.state().logEnd;
    const records = producerBatch({ values: [value] });
    assignOffsets(records, { baseOffset: base, partitionLeaderEpoch: e });
    const res = await r.append({ epoch: epoch(e), baseOffset: base, endOffset: base + 1n, records, committedOffset: 0n });
    if (!res.ok) throw new Error(`append failed: ${res.error.code}`);
  }
}
