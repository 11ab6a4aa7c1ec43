import { status } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeLogDirsResponse } from '@stratus/kafka-messages';
import { selectPartitions } from './describe-log-dirs';
import { FakeMetadata, grpcFailure, handlerFor, respond } from './testing.testkit';

const topics = [
  { name: 'b', partitionCount: 1 },
  { name: 'a', partitionCount: 2 },
];

describe('DescribeLogDirs', () => {
  it('lists every partition of the tenant for a null topic list', () => {
    expect(selectPartitions(topics, null).map((t) => [t.name, t.partitions.map((p) => p.partitionIndex)])).toEqual([
      ['a', [0, 1]],
      ['b', [0]],
    ]);
  });

  it('keeps only requested partitions that exist, as a broker leaves out what it does not host', () => {
    const picked = selectPartitions(topics, [
      { topic: 'a', partitions: [1, 5, 1] },
      { topic: 'zz', partitions: [0] },
      { topic: 'b', partitions: [3] },
    ]);
    expect(picked).toEqual([{ name: 'a', partitions: [{ partitionIndex: 1, partitionSize: 0n, offsetLag: 0n, isFutureKey: false }] }]);
  });

  it('answers one synthesised directory from the tenant topics metadata lists', async () => {
    const md = new FakeMetadata().answer('listTopics', () => ({
      topics: [
        { name: 'a', partitionCount: 1, internal: false },
        { name: '__hidden', partitionCount: 1, internal: true },
      ],
    }));
    const res = await respond<DescribeLogDirsResponse>(handlerFor(35, { metadata: md.client, logDirPath: '/data' }), { topics: null });
    expect((md.calls[0]?.request as metadataV1.ListTopicsRequest).tenantId?.value).toBe('t-1');
    expect(res.errorCode).toBe(0);
    expect(res.results).toHaveLength(1);
    expect(res.results[0]).toMatchObject({ errorCode: 0, logDir: '/data', totalBytes: -1n, usableBytes: -1n });
    expect(res.results[0]?.topics.map((t) => t.name)).toEqual(['a']);
  });

  it('reports an unreachable metadata service as REQUEST_TIMED_OUT', async () => {
    const md = new FakeMetadata().answer('listTopics', () => {
      throw grpcFailure(status.UNAVAILABLE);
    });
    const res = await respond<DescribeLogDirsResponse>(handlerFor(35, { metadata: md.client }), { topics: null });
    expect([res.errorCode, res.results[0]?.errorCode]).toEqual([ErrorCode.REQUEST_TIMED_OUT, ErrorCode.REQUEST_TIMED_OUT]);
  });
});
