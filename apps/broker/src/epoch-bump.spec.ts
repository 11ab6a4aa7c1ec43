import type { ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { epochBumper } from './epoch-bump';

const assignment = {
  partition: { topicId: { value: Buffer.alloc(16, 7) }, partition: 3 },
  tenantId: 't-1',
  leaderNodeId: 'broker-a',
  leaderEpoch: 4,
  leaderGeneration: 42n,
  replicaNodeIds: ['r-a', 'r-b', 'r-c'],
};

function fakeMetadata(answer: { error?: ServiceError; code?: number }) {
  const seen: metadataV1.BumpLeaderEpochRequest[] = [];
  const metadata = {
    bumpLeaderEpoch: (req: metadataV1.BumpLeaderEpochRequest, _m: unknown, _o: unknown, cb: (e: ServiceError | null, r: metadataV1.BumpLeaderEpochResponse) => void) => {
      seen.push(req);
      cb(answer.error ?? null, { error: { code: answer.code ?? 0, message: '' }, assignment: undefined });
    },
  } as unknown as Pick<metadataV1.MetadataServiceClient, 'bumpLeaderEpoch'>;
  return { metadata, seen };
}

describe('epochBumper', () => {
  it('asks for the epoch after the failed one as this node and incarnation', async () => {
    const { metadata, seen } = fakeMetadata({});
    await epochBumper({ metadata, nodeId: 'broker-a', timeoutMs: 1000 })(assignment);
    expect(seen).toEqual([expect.objectContaining({ nodeId: 'broker-a', generation: 42n, leaderEpoch: 4, partition: assignment.partition })]);
  });

  it('stops asking when the partition is no longer ours, and fails on other errors so the caller retries', async () => {
    await expect(epochBumper({ metadata: fakeMetadata({ code: ErrorCode.NOT_LEADER_OR_FOLLOWER }).metadata, nodeId: 'broker-a', timeoutMs: 1000 })(assignment)).resolves.toBeUndefined();
    await expect(epochBumper({ metadata: fakeMetadata({ code: ErrorCode.REQUEST_TIMED_OUT }).metadata, nodeId: 'broker-a', timeoutMs: 1000 })(assignment)).rejects.toThrow('Kafka error 7');
    const unavailable = Object.assign(new Error('unavailable'), { code: 14 }) as ServiceError;
    await expect(epochBumper({ metadata: fakeMetadata({ error: unavailable }).metadata, nodeId: 'broker-a', timeoutMs: 1000 })(assignment)).rejects.toThrow('unavailable');
  });
});
