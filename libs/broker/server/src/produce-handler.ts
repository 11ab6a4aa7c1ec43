// One Produce request: every partition is handed to its leader concurrently (each leader keeps
// its own order and group-commits with other producers' batches), and the request is answered
// when all partitions are, or when header.timeout_ms runs out (REQUEST_TIMED_OUT for the
// partitions still waiting, as a Kafka broker answers an expired acks=all purgatory entry).
import type { Acks } from '@stratus/broker-partition';
import type { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { NO_ERROR, budgetMs, kafkaError, resolvePartition, type PartitionAccess } from './partition-access';
import type { TierReadPath } from './tier-read';

export interface ProduceHandlerOptions extends PartitionAccess {
  /** Used when the router sends no timeout_ms. */
  readonly defaultTimeoutMs: number;
  /**
   * With tiered storage, the log start a produce answer carries is the one Fetch and ListOffsets
   * answer (max(durable start, min(tiered start, first hot offset)), tier-read.ts), not the
   * leader's durable start alone, which may lie below what tiered retention already deleted.
   */
  readonly tier?: Pick<TierReadPath, 'logStartFor'>;
}

function failed(partition: brokerV1.ProducePartitionData['partition'], error: { code: number; message: string }, extra: Partial<brokerV1.ProducePartitionResponse> = {}): brokerV1.ProducePartitionResponse {
  return { partition, error, baseOffset: -1n, logAppendTimeMs: -1n, logStartOffset: -1n, recordErrors: [], currentLeader: undefined, ...extra };
}

export async function handleProduce(options: ProduceHandlerOptions, request: brokerV1.ProduceRequest): Promise<brokerV1.ProduceResponse> {
  const correlationId = request.header?.correlationId ?? 0n;
  const tenantId = request.header?.tenantId?.value ?? '';
  const acks = request.acks;
  if (acks !== 0 && acks !== 1 && acks !== -1) {
    const error = kafkaError(ErrorCode.INVALID_REQUIRED_ACKS, `acks must be 0, 1 or -1, got ${acks}`);
    return { correlationId, error: NO_ERROR, throttleTimeMs: 0, partitions: request.partitions.map((p) => failed(p.partition, error)) };
  }
  const timeoutMs = budgetMs(request.header, options.defaultTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const partitions = await Promise.all(
      request.partitions.map(async (p): Promise<brokerV1.ProducePartitionResponse> => {
        const resolved = resolvePartition(options, tenantId, p.partition);
        if (!resolved.ok) return failed(p.partition, resolved.error, { currentLeader: resolved.currentLeader });
        // p.records is already a Buffer (the contracts wire runtime decodes large bytes fields as views).
        const outcome = await Promise.race([resolved.leader.produce({ records: p.records, acks: acks as Acks }), expired]);
        if (outcome === 'timeout') {
          return failed(p.partition, kafkaError(ErrorCode.REQUEST_TIMED_OUT, `not acknowledged by the replicas within ${timeoutMs} ms`));
        }
        if (outcome.ok) {
          // The leader carries both starts itself (LeaderStarts): no snapshot per partition on the produce path.
          const logStartOffset = options.tier && p.partition ? options.tier.logStartFor(p.partition, resolved.leader) : outcome.value.logStartOffset;
          return { partition: p.partition, error: NO_ERROR, baseOffset: outcome.value.baseOffset, logAppendTimeMs: outcome.value.logAppendTimeMs, logStartOffset, recordErrors: [], currentLeader: undefined };
        }
        const e = outcome.error;
        const recordErrors = e.batchIndex !== undefined ? [{ batchIndex: e.batchIndex, message: e.message }] : [];
        // A leader that stopped between lookup and produce: tell the client where it went.
        const hint = e.code === ErrorCode.NOT_LEADER_OR_FOLLOWER ? resolvePartition(options, tenantId, p.partition) : undefined;
        return failed(p.partition, kafkaError(e.code, e.message), { recordErrors, currentLeader: hint && !hint.ok ? hint.currentLeader : undefined });
      }),
    );
    return { correlationId, error: NO_ERROR, partitions, throttleTimeMs: 0 };
  } finally {
    if (timer) clearTimeout(timer);
  }
}

export function produceRequestBytes(request: brokerV1.ProduceRequest): number {
  let n = 0;
  for (const p of request.partitions) n += p.records.byteLength;
  return n;
}
