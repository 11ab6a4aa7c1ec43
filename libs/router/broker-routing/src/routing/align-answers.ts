// Broker answers come per partition in any order; the handlers need them aligned with the batch
// they sent. A whole-request error applies to every partition of the batch.
import type { commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { RoutedPartition } from './route-by-leader';
import { partitionKey } from './routing-context';

/**
 * Broker answers matched to the batch by partition (the broker may answer in any order). A
 * whole-request error (ProduceResponse.error) applies to every partition of the batch.
 */
export function alignAnswers<T extends { partition?: commonV1.PartitionRef | undefined }>(
  batch: readonly RoutedPartition[],
  answers: readonly T[],
  requestError: { code: number; message: string } | undefined,
): Array<T | undefined> {
  if (requestError && requestError.code !== ErrorCode.NONE) {
    return batch.map(
      (i) => ({ partition: { topicId: { value: i.topicId }, partition: i.partition }, error: requestError }) as unknown as T,
    );
  }
  const byKey = new Map<string, T[]>();
  for (const answer of answers) {
    const ref = answer.partition;
    if (!ref?.topicId) continue;
    const key = partitionKey(Buffer.from(ref.topicId.value), ref.partition);
    const list = byKey.get(key);
    if (list) list.push(answer);
    else byKey.set(key, [answer]);
  }
  return batch.map((i) => byKey.get(partitionKey(i.topicId, i.partition))?.shift());
}
