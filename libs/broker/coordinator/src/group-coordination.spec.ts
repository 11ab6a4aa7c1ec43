import type { LeaderDirectory } from '@stratus/broker-server';
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { API_REGISTRY } from '@stratus/kafka-messages';
import { startGroupCoordination } from './group-coordination';
import type { AdminOutcome, OffsetsTopicAdmin, OffsetsTopicInfo } from './offsets-topic';

const quiet = { info: () => undefined, warn: () => undefined };
const emptyDirectory = { served: () => [], onLeadershipChange: () => () => undefined } as unknown as LeaderDirectory;

function listGroups(): brokerV1.KafkaPassthroughRequest {
  const codec = API_REGISTRY.get(16);
  if (!codec) throw new Error('no codec');
  return brokerV1.KafkaPassthroughRequest.fromPartial({ header: { tenantId: { value: 'ta' } }, apiKey: 16, apiVersion: 5, request: codec.request.encode({ statesFilter: [], typesFilter: [] }, 5) });
}

describe('startGroupCoordination', () => {
  it('answers COORDINATOR_NOT_AVAILABLE until the offsets topic exists, then serves with its partition count', async () => {
    let failures = 2;
    const info: OffsetsTopicInfo = { topicId: Buffer.alloc(16, 7), partitionCount: 5 };
    const admin: OffsetsTopicAdmin = {
      findTenantByName: async (): Promise<AdminOutcome<string | undefined>> =>
        failures-- > 0 ? { ok: false, code: ErrorCode.UNKNOWN_SERVER_ERROR, message: 'metadata unavailable' } : { ok: true, value: 'sys' },
      createTenant: async () => ({ ok: true, value: 'sys' }),
      describeTopic: async () => ({ ok: true, value: info }),
      createTopic: async () => ({ ok: true, value: info }),
    };
    const sleeps: number[] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const g = startGroupCoordination({
      directory: emptyDirectory,
      admin,
      cell: 'c1',
      topics: () => [],
      log: quiet,
      retryMs: 10,
      sleep: async (ms) => {
        sleeps.push(ms);
        if (sleeps.length === 2) await gate;
      },
    });
    await new Promise((r) => setImmediate(r));
    const early = await g.passthrough(listGroups());
    expect(early.error?.code).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    release();
    await g.started;
    expect(sleeps).toEqual([10, 20]);
    expect(g.runtime()?.partitionCount).toBe(5);
    const served = await g.passthrough(listGroups());
    expect(served.error).toBeUndefined();
    expect(served.response.length).toBeGreaterThan(0);
    g.close();
  });
});
