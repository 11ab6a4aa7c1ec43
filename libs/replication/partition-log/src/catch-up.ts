// Peer repair (design note: "a replica that falls behind or was down is repaired from a peer, not
// by the leader re-sending everything"): copy whole batches from a source replica's log into a
// target replica under the current epoch. The source is any reader of whole batches, so the same
// loop serves an in-process replica and a remote peer reached over gRPC.
import type { Result } from './errors';
import { fail, ok } from './errors';
import type { PartitionReplica } from './partition-replica';
import type { LeaderEpoch } from './types';

export interface BatchSource {
  /** Whole batches from the one containing `offset` (empty at the source's log end). */
  read(offset: bigint, maxBytes: number): Promise<Result<{ records: Buffer; nextOffset: bigint; logStart: bigint; logEnd: bigint }>>;
}

export interface CatchUpOptions {
  /** Copy until the target's log end reaches this offset (default: the source's log end at each step). */
  readonly endOffset?: bigint;
  readonly maxBytesPerRead?: number;
}

export interface CatchUpResult {
  readonly copiedBytes: number;
  readonly logEnd: bigint;
}

export async function catchUpFrom(source: BatchSource, target: PartitionReplica, epoch: LeaderEpoch, options: CatchUpOptions = {}): Promise<Result<CatchUpResult>> {
  const maxBytes = options.maxBytesPerRead ?? 1024 * 1024;
  let copiedBytes = 0;
  for (;;) {
    const from = target.logState().logEnd;
    if (options.endOffset !== undefined && from >= options.endOffset) return ok({ copiedBytes, logEnd: from });
    const chunk = await source.read(from, maxBytes);
    if (!chunk.ok) {
      // A target behind the source's first servable offset can only restart there (the older data
      // is gone or only tiered). It keeps the source's logical start, which is lower when the older
      // records live in tiered storage: taking the servable start would raise the durable start
      // this replica reports and a later recovery would spread it as a deletion.
      if (chunk.error.code === 'OFFSET_OUT_OF_RANGE' && from < chunk.error.logStart) {
        const durable = chunk.error.durableLogStart;
        const reset = await target.resetTo(epoch, chunk.error.logStart, durable !== undefined ? { logStart: durable } : {});
        if (!reset.ok) return fail(reset.error);
        continue;
      }
      return fail(chunk.error);
    }
    if (chunk.value.records.length === 0) return ok({ copiedBytes, logEnd: from });
    const appended = await target.appendReplicated(epoch, chunk.value.records);
    if (!appended.ok) return fail(appended.error);
    copiedBytes += chunk.value.records.length;
  }
}
