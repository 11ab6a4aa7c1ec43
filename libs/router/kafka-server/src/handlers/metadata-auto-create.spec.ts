import { status, type ServiceError } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { MetadataTopicAutoCreator } from './metadata-auto-create';
import { router } from './metadata-handlers.testkit';

type Answer = { error?: Partial<ServiceError>; results?: Array<{ name: string; code: number }> };

function setup(answer: Answer, allows = true) {
  const view = new InMemoryClusterView({ self: router(1, 'a') });
  const requests: metadataV1.CreateTopicsRequest[] = [];
  const client = {
    createTopics: (req: metadataV1.CreateTopicsRequest, _md: unknown, _opts: unknown, cb: (e: ServiceError | null, r?: metadataV1.CreateTopicsResponse) => void) => {
      requests.push(req);
      if (answer.error) cb(answer.error as ServiceError);
      else cb(null, { results: (answer.results ?? []).map((r) => ({ name: r.name, error: { code: r.code, message: '' }, numPartitions: 1, replicationFactor: 3, configs: {} })), throttleTimeMs: 0 });
    },
  } as unknown as Pick<metadataV1.MetadataServiceClient, 'createTopics'>;
  const creator = new MetadataTopicAutoCreator({ client, view, tenantAllows: () => allows, timeoutMs: 1000 });
  return { creator, requests, view };
}

describe('MetadataTopicAutoCreator', () => {
  it('does not call metadata when the tenant does not permit auto-creation', async () => {
    const { creator, requests } = setup({ results: [] }, false);
    expect([...(await creator.create('t1', ['x']))]).toEqual([['x', ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]);
    expect(requests).toEqual([]);
  });

  it('creates with the tenant defaults, counts a concurrent creation as success and catches the view up', async () => {
    const { creator, requests, view } = setup({ results: [{ name: 'x', code: 0 }, { name: 'y', code: ErrorCode.TOPIC_ALREADY_EXISTS }, { name: 'z', code: ErrorCode.POLICY_VIOLATION }] });
    const result = await creator.create('t1', ['x', 'y', 'z']);
    expect([...result]).toEqual([
      ['x', 0],
      ['y', 0],
      ['z', ErrorCode.POLICY_VIOLATION],
    ]);
    expect(requests[0]).toMatchObject({ tenantId: { value: 't1' }, validateOnly: false, topics: [{ name: 'x', numPartitions: -1, replicationFactor: -1 }, { name: 'y' }, { name: 'z' }] });
    expect(view.catchUpCalls).toBe(1);
  });

  it('answers a retriable LEADER_NOT_AVAILABLE when metadata cannot be reached', async () => {
    const { creator } = setup({ error: { code: status.UNAVAILABLE, message: 'down' } });
    expect([...(await creator.create('t1', ['x']))]).toEqual([['x', ErrorCode.LEADER_NOT_AVAILABLE]]);
  });
});
