import { status } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { CreatePartitionsResponse } from '@stratus/kafka-messages';
import type { ClusterView } from '@stratus/router-cluster-view';
import { FakeMetadata, grpcFailure, handlerFor, respond } from './testing.testkit';

function growing(): FakeMetadata {
  return new FakeMetadata().answer('createPartitions', (req: metadataV1.CreatePartitionsRequest) => ({
    results: req.topics.map((t) => ({ name: t.name, error: t.totalCount > 1 ? { code: 0, message: '' } : { code: ErrorCode.INVALID_PARTITIONS, message: 'Topic already has 1 partitions.' } })),
  }));
}

describe('CreatePartitions', () => {
  it('forwards new totals with validate_only and answers per topic; duplicates and assignments are refused first', async () => {
    const md = growing();
    const res = await respond<CreatePartitionsResponse>(handlerFor(37, { metadata: md.client }), {
      topics: [
        { name: 'a', count: 4, assignments: null },
        { name: 'b', count: 1, assignments: null },
        { name: 'c', count: 2, assignments: [{ brokerIds: [1] }] },
        { name: 'd', count: 2, assignments: null },
        { name: 'd', count: 3, assignments: null },
      ],
      timeoutMs: 1000,
      validateOnly: true,
    });
    const sent = md.calls[0]?.request as metadataV1.CreatePartitionsRequest;
    expect(sent.validateOnly).toBe(true);
    expect(sent.topics).toEqual([
      { name: 'a', totalCount: 4 },
      { name: 'b', totalCount: 1 },
    ]);
    expect(res.results.map((r) => [r.name, r.errorCode, r.errorMessage])).toEqual([
      ['a', 0, null],
      ['b', ErrorCode.INVALID_PARTITIONS, 'Topic already has 1 partitions.'],
      ['c', ErrorCode.INVALID_REPLICA_ASSIGNMENT, expect.any(String)],
      ['d', ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.'],
      ['d', ErrorCode.INVALID_REQUEST, 'Duplicate topic in request.'],
    ]);
  });

  it('waits for the view after a real change only, and answers NOT_CONTROLLER when metadata is down', async () => {
    const waits: number[] = [];
    const view = { catchUp: async (ms: number) => void waits.push(ms) } as unknown as ClusterView;
    const handler = handlerFor(37, { metadata: growing().client, view });
    await respond(handler, { topics: [{ name: 'a', count: 2, assignments: null }], timeoutMs: 800, validateOnly: true });
    expect(waits).toEqual([]);
    await respond(handler, { topics: [{ name: 'a', count: 2, assignments: null }], timeoutMs: 800, validateOnly: false });
    expect(waits).toEqual([800]);
    const down = new FakeMetadata().answer('createPartitions', () => {
      throw grpcFailure(status.UNAVAILABLE);
    });
    const res = await respond<CreatePartitionsResponse>(handlerFor(37, { metadata: down.client }), {
      topics: [{ name: 'a', count: 2, assignments: null }],
      timeoutMs: 800,
      validateOnly: false,
    });
    expect(res.results[0]?.errorCode).toBe(ErrorCode.NOT_CONTROLLER);
  });
});
