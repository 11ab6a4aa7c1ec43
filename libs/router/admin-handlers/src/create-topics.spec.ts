import { status } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { CreateTopicsRequest, CreateTopicsResponse } from '@stratus/kafka-messages';
import type { ClusterView } from '@stratus/router-cluster-view';
import { FakeMetadata, contextFor, grpcFailure, handlerFor, respond } from './testing.testkit';

const ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

function topic(name: string, extra: Partial<CreateTopicsRequest['topics'][number]> = {}): CreateTopicsRequest['topics'][number] {
  return { name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: [], ...extra };
}

function request(topics: CreateTopicsRequest['topics'], validateOnly = false): CreateTopicsRequest {
  return { topics, timeoutMs: 30_000, validateOnly };
}

/** Metadata that creates everything it is asked for with one override-free config set. */
function creatingMetadata(): FakeMetadata {
  return new FakeMetadata().answer('createTopics', (req: metadataV1.CreateTopicsRequest) => ({
    results: req.topics.map((t) => ({
      name: t.name,
      error: { code: 0, message: '' },
      topicId: { value: ID },
      numPartitions: t.numPartitions === -1 ? 1 : t.numPartitions,
      replicationFactor: 3,
      configs: { 'retention.ms': t.configs['retention.ms'] ?? '604800000', 'cleanup.policy': 'delete' },
    })),
  }));
}

describe('CreateTopics', () => {
  it('sends the tenant, validate_only and mapped factors to metadata and answers the KIP-525 fields', async () => {
    const md = creatingMetadata();
    const res = await respond<CreateTopicsResponse>(
      handlerFor(19, { metadata: md.client }),
      request([topic('a', { numPartitions: 3, replicationFactor: 1, configs: [{ name: 'retention.ms', value: '1000' }] })]),
      contextFor('tenant-x'),
    );
    const sent = md.calls[0]?.request as metadataV1.CreateTopicsRequest;
    expect(sent.tenantId?.value).toBe('tenant-x');
    expect(sent.topics).toEqual([{ name: 'a', numPartitions: 3, replicationFactor: 3, configs: { 'retention.ms': '1000' } }]);
    expect(res.topics[0]).toMatchObject({
      name: 'a',
      errorCode: 0,
      errorMessage: null,
      topicId: '00112233-4455-6677-8899-aabbccddeeff',
      numPartitions: 3,
      replicationFactor: 3,
    });
    // Sorted by name; the override is a topic config, the rest are defaults.
    expect(res.topics[0]?.configs?.map((c) => [c.name, c.value, c.configSource])).toEqual([
      ['cleanup.policy', 'delete', 5],
      ['retention.ms', '1000', 1],
    ]);
  });

  it('answers validate_only with the zero topic id (nothing was created)', async () => {
    const md = creatingMetadata();
    const res = await respond<CreateTopicsResponse>(handlerFor(19, { metadata: md.client }), request([topic('a')], true));
    expect((md.calls[0]?.request as metadataV1.CreateTopicsRequest).validateOnly).toBe(true);
    expect(res.topics[0]).toMatchObject({ errorCode: 0, topicId: '00000000-0000-0000-0000-000000000000' });
  });

  it('settles duplicates, assignments, bad factors and null configs itself, in request order', async () => {
    const md = creatingMetadata();
    const res = await respond<CreateTopicsResponse>(
      handlerFor(19, { metadata: md.client }),
      request([
        topic('dup'),
        topic('ok'),
        topic('dup'),
        topic('assigned', { assignments: [{ partitionIndex: 0, brokerIds: [1, 2, 3] }] }),
        topic('both', { numPartitions: 2, assignments: [{ partitionIndex: 0, brokerIds: [1] }] }),
        topic('rf5', { replicationFactor: 5 }),
        topic('rf0', { replicationFactor: 0 }),
        topic('nullcfg', { configs: [{ name: 'retention.ms', value: null }] }),
        topic('dupcfg', { configs: [{ name: 'retention.ms', value: '1' }, { name: 'retention.ms', value: '2' }] }),
      ]),
    );
    expect(res.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['dup', ErrorCode.INVALID_REQUEST],
      ['ok', 0],
      ['dup', ErrorCode.INVALID_REQUEST],
      ['assigned', ErrorCode.INVALID_REPLICA_ASSIGNMENT],
      ['both', ErrorCode.INVALID_REQUEST],
      ['rf5', ErrorCode.INVALID_REPLICATION_FACTOR],
      ['rf0', ErrorCode.INVALID_REPLICATION_FACTOR],
      ['nullcfg', ErrorCode.INVALID_CONFIG],
      ['dupcfg', ErrorCode.INVALID_REQUEST],
    ]);
    expect(res.topics.filter((t) => t.errorCode !== 0).every((t) => t.numPartitions === -1 && t.replicationFactor === -1 && t.errorMessage)).toBe(true);
    // Only the valid topic reached metadata.
    expect((md.calls[0]?.request as metadataV1.CreateTopicsRequest).topics.map((t) => t.name)).toEqual(['ok']);
  });

  it('passes per-topic metadata errors through with their messages', async () => {
    const md = new FakeMetadata().answer('createTopics', (req: metadataV1.CreateTopicsRequest) => ({
      results: req.topics.map((t) => ({ name: t.name, error: { code: ErrorCode.POLICY_VIOLATION, message: 'limit' }, numPartitions: -1, replicationFactor: -1, configs: {} })),
    }));
    const res = await respond<CreateTopicsResponse>(handlerFor(19, { metadata: md.client }), request([topic('a')]));
    expect(res.topics[0]).toMatchObject({ errorCode: ErrorCode.POLICY_VIOLATION, errorMessage: 'limit' });
  });

  it('answers NOT_CONTROLLER for every topic when metadata is unreachable (clients retry it)', async () => {
    const md = new FakeMetadata().answer('createTopics', () => {
      throw grpcFailure(status.UNAVAILABLE);
    });
    const res = await respond<CreateTopicsResponse>(handlerFor(19, { metadata: md.client }), request([topic('a'), topic('b')]));
    expect(res.topics.map((t) => t.errorCode)).toEqual([ErrorCode.NOT_CONTROLLER, ErrorCode.NOT_CONTROLLER]);
  });

  it('waits for the cluster view after a creation, not after validate_only or a failure', async () => {
    const waits: number[] = [];
    const view = { catchUp: async (ms: number) => void waits.push(ms) } as unknown as ClusterView;
    const handler = handlerFor(19, { metadata: creatingMetadata().client, view, catchUpTimeoutMs: 2_000 });
    await respond(handler, request([topic('a')], true));
    await respond(handler, request([topic('a', { replicationFactor: 9 })]));
    expect(waits).toEqual([]);
    await respond(handler, { ...request([topic('a')]), timeoutMs: 500 });
    await respond(handler, request([topic('b')]));
    expect(waits).toEqual([500, 2_000]);
  });

  it('closes an unauthenticated connection instead of acting for no tenant', async () => {
    const result = await handlerFor(19, { metadata: creatingMetadata().client }).handle(contextFor(undefined), request([topic('a')]));
    expect(result).toHaveProperty('violation');
  });
});

describe('CreateTopics deadline', () => {
  it('gives metadata the request timeout_ms and answers REQUEST_TIMED_OUT when it passes', async () => {
    // Metadata that never answers in time: the call fails with DEADLINE_EXCEEDED like gRPC does.
    const md = new FakeMetadata().answer('createTopics', () => {
      throw grpcFailure(status.DEADLINE_EXCEEDED);
    });
    const res = await respond<CreateTopicsResponse>(handlerFor(19, { metadata: md.client }), { ...request([topic('a')]), timeoutMs: 50 });
    expect(res.topics[0]?.errorCode).toBe(ErrorCode.REQUEST_TIMED_OUT);
    expect(md.calls[0]?.deadlineInMs).toBeLessThanOrEqual(50);
    // Without a timeout the router's own metadata deadline applies.
    await respond(handlerFor(19, { metadata: md.client, metadataTimeoutMs: 7_000 }), { ...request([topic('a')]), timeoutMs: 0 });
    expect(md.calls[1]?.deadlineInMs).toBeLessThanOrEqual(7_000);
    expect(md.calls[1]?.deadlineInMs).toBeGreaterThan(1_000);
  });
});
