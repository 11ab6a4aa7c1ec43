import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeTopicPartitionsResponse } from '@stratus/kafka-messages';
import { uuidFromBytes } from '@stratus/kafka-protocol';
import { describeTopicPartitionsHandler } from './describe-topic-partitions';
import { clusterFixture, roundTrip } from './metadata-handlers.testkit';

function fixture() {
  const view = clusterFixture();
  const a = view.addTopic({ tenantId: 't1', name: 'a', partitionCount: 3, leaderEpoch: 2 });
  view.addTopic({ tenantId: 't1', name: 'b', partitionCount: 4 });
  view.addTopic({ tenantId: 't1', name: '__internal', partitionCount: 1, internal: true });
  view.addTopic({ tenantId: 't2', name: 'c', partitionCount: 1 });
  return { view, a, handler: describeTopicPartitionsHandler({ view }) };
}

const req = (names: string[], limit = 2000, cursor: { topicName: string; partitionIndex: number } | null = null) => ({
  topics: names.map((name) => ({ name })),
  responsePartitionLimit: limit,
  cursor,
});

describe('DescribeTopicPartitions', () => {
  it('describes every own, non-internal topic when none is named, with routers of this AZ as leaders', async () => {
    const { handler, a } = fixture();
    const res = await roundTrip<DescribeTopicPartitionsResponse>(handler, 0, req([]));
    expect(res.topics.map((t) => [t.name, t.partitions.length])).toEqual([
      ['a', 3],
      ['b', 4],
    ]);
    expect(res.nextCursor).toBeNull();
    expect(res.topics[0]?.topicId).toBe(uuidFromBytes(a.topicId, 0));
    expect(res.topics[0]?.partitions.every((p) => [1, 2, 3].includes(p.leaderId) && p.leaderEpoch === 2 && p.errorCode === 0)).toBe(true);
  });

  it('answers unknown and other tenants’ names alike, sorted by name', async () => {
    const { handler } = fixture();
    const res = await roundTrip<DescribeTopicPartitionsResponse>(handler, 0, req(['zzz', 'c', 'a']));
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['a', 0],
      ['c', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
      ['zzz', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
    ]);
  });

  it('pages by partition budget with a cursor until everything was seen', async () => {
    const { handler } = fixture();
    const seen: string[] = [];
    let cursor: { topicName: string; partitionIndex: number } | null = null;
    for (let page = 0; page < 10; page++) {
      const res: DescribeTopicPartitionsResponse = await roundTrip<DescribeTopicPartitionsResponse>(handler, 0, req([], 2, cursor));
      for (const t of res.topics) for (const p of t.partitions) seen.push(`${t.name}-${p.partitionIndex}`);
      expect(res.topics.reduce((n, t) => n + t.partitions.length, 0)).toBeLessThanOrEqual(2);
      cursor = res.nextCursor ? { topicName: res.nextCursor.topicName, partitionIndex: res.nextCursor.partitionIndex } : null;
      if (!cursor) break;
    }
    expect(seen).toEqual(['a-0', 'a-1', 'a-2', 'b-0', 'b-1', 'b-2', 'b-3']);
  });

  it('rejects a cursor naming a topic outside the requested ones', async () => {
    const { handler } = fixture();
    const res = await roundTrip<DescribeTopicPartitionsResponse>(handler, 0, req(['a'], 10, { topicName: 'b', partitionIndex: 0 }));
    expect(res.topics.map((t) => t.errorCode)).toEqual([ErrorCode.INVALID_REQUEST]);
  });
});
