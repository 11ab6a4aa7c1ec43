// KIP-599 on the router side: the strict flag follows the request version, and the throttle
// time metadata computed reaches the client's response.
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { CreatePartitionsResponse, CreateTopicsResponse, DeleteTopicsResponse } from '@stratus/kafka-messages';
import { ZERO_UUID } from '@stratus/kafka-protocol';
import { FakeMetadata, contextFor, handlerFor, respond } from './testing.testkit';

const THROTTLED = { code: ErrorCode.THROTTLING_QUOTA_EXCEEDED, message: 'over quota' };

function throttlingMetadata(): FakeMetadata {
  return new FakeMetadata()
    .answer('createTopics', (req: metadataV1.CreateTopicsRequest) => ({
      results: req.topics.map((t, i) =>
        i === 0
          ? { name: t.name, error: { code: 0, message: '' }, topicId: { value: Buffer.alloc(16, 1) }, numPartitions: 1, replicationFactor: 3, configs: {} }
          : { name: t.name, error: THROTTLED, numPartitions: -1, replicationFactor: -1, configs: {} },
      ),
      throttleTimeMs: 1500,
    }))
    .answer('deleteTopics', (req: metadataV1.DeleteTopicsRequest) => ({
      results: req.topics.map((sel) => ({ topic: sel, error: THROTTLED, name: '' })),
      throttleTimeMs: 700,
    }))
    .answer('createPartitions', (req: metadataV1.CreatePartitionsRequest) => ({
      results: req.topics.map((t) => ({ name: t.name, error: THROTTLED })),
      throttleTimeMs: 300,
    }));
}

const topic = (name: string) => ({ name, numPartitions: 1, replicationFactor: -1, assignments: [], configs: [] });

describe('KIP-599 topic mutation quota through the admin handlers', () => {
  it.each([
    [5, false],
    [6, true],
    [7, true],
  ])('CreateTopics v%i sends strict_mutation_quota=%s and passes throttle time and per-topic errors on', async (version, strict) => {
    const md = throttlingMetadata();
    const res = await respond<CreateTopicsResponse>(
      handlerFor(19, { metadata: md.client }),
      { topics: [topic('a'), topic('b')], timeoutMs: 1000, validateOnly: false },
      contextFor('t', 0, version),
    );
    expect((md.calls[0]?.request as metadataV1.CreateTopicsRequest).strictMutationQuota).toBe(strict);
    expect(res.throttleTimeMs).toBe(1500);
    expect(res.topics.map((t) => t.errorCode)).toEqual([0, ErrorCode.THROTTLING_QUOTA_EXCEEDED]);
  });

  it.each([
    [4, false],
    [5, true],
  ])('DeleteTopics v%i sends strict_mutation_quota=%s', async (version, strict) => {
    const md = throttlingMetadata();
    const res = await respond<DeleteTopicsResponse>(
      handlerFor(20, { metadata: md.client }),
      { topicNames: ['a'], topics: [{ name: 'a', topicId: ZERO_UUID }], timeoutMs: 1000 },
      contextFor('t', 0, version),
    );
    expect((md.calls[0]?.request as metadataV1.DeleteTopicsRequest).strictMutationQuota).toBe(strict);
    expect(res.throttleTimeMs).toBe(700);
    expect(res.responses[0]?.errorCode).toBe(ErrorCode.THROTTLING_QUOTA_EXCEEDED);
  });

  it.each([
    [2, false],
    [3, true],
  ])('CreatePartitions v%i sends strict_mutation_quota=%s', async (version, strict) => {
    const md = throttlingMetadata();
    const res = await respond<CreatePartitionsResponse>(
      handlerFor(37, { metadata: md.client }),
      { topics: [{ name: 'a', count: 3, assignments: null }], timeoutMs: 1000, validateOnly: false },
      contextFor('t', 0, version),
    );
    expect((md.calls[0]?.request as metadataV1.CreatePartitionsRequest).strictMutationQuota).toBe(strict);
    expect(res.throttleTimeMs).toBe(300);
    expect(res.results[0]?.errorCode).toBe(ErrorCode.THROTTLING_QUOTA_EXCEEDED);
  });
});
