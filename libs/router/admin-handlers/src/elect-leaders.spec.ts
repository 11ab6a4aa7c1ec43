import { ErrorCode } from '@stratus/kafka-errors';
import type { ElectLeadersResponse } from '@stratus/kafka-messages';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { FakeMetadata, contextFor, handlerFor, respond } from './testing.testkit';

function viewWithTopics(): InMemoryClusterView {
  const view = new InMemoryClusterView({
    self: { nodeId: 'r1', kafkaNodeId: 1, host: '127.0.0.1', port: 9092, availabilityZone: 'a' },
    brokers: [{ nodeId: 'b1', grpcAddress: '127.0.0.1:1', availabilityZone: 'a' }],
  });
  view.addTopic({ tenantId: 't-1', name: 'orders', partitionCount: 2, leaderNodeId: 'b1' });
  const offline = view.addTopic({ tenantId: 't-1', name: 'offline', partitionCount: 2, leaderNodeId: 'b1' });
  // Partition 1's leader broker has gone (its lease ended; the controller has not moved it yet).
  view.setPartition({ topicId: offline.topicId, partition: 1, leaderNodeId: 'gone', leaderEpoch: 3, replicaNodeIds: [] });
  view.addTopic({ tenantId: 'other', name: 'secret', partitionCount: 1, leaderNodeId: 'b1' });
  return view;
}

const elect = (request: unknown, version = 2) => {
  const view = viewWithTopics();
  return respond<ElectLeadersResponse>(handlerFor(43, { metadata: new FakeMetadata().client, view }), request, contextFor('t-1', 0, version));
};

describe('ElectLeaders', () => {
  it('is served only with a cluster view', () => {
    expect(() => handlerFor(43, { metadata: new FakeMetadata().client })).toThrow('no handler for 43');
  });

  it('answers ELECTION_NOT_NEEDED for led partitions, UNKNOWN_TOPIC_OR_PARTITION for unknown ones and another tenant topic', async () => {
    const res = await elect({
      electionType: 0,
      timeoutMs: 1000,
      topicPartitions: [
        { topic: 'orders', partitions: [0, 1, 0, 7] },
        { topic: 'secret', partitions: [0] },
      ],
    });
    expect(res.errorCode).toBe(ErrorCode.NONE);
    expect(res.replicaElectionResults.map((t) => [t.topic, t.partitionResult.map((p) => [p.partitionId, p.errorCode])])).toEqual([
      [
        'orders',
        [
          [0, ErrorCode.ELECTION_NOT_NEEDED],
          [1, ErrorCode.ELECTION_NOT_NEEDED],
          [7, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
        ],
      ],
      ['secret', [[0, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]]],
    ]);
  });

  it('a partition without a live leader: PREFERRED_LEADER_NOT_AVAILABLE (preferred), ELIGIBLE_LEADERS_NOT_AVAILABLE (unclean)', async () => {
    const preferred = await elect({ electionType: 0, timeoutMs: 1000, topicPartitions: [{ topic: 'offline', partitions: [1] }] });
    expect(preferred.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);
    const unclean = await elect({ electionType: 1, timeoutMs: 1000, topicPartitions: [{ topic: 'offline', partitions: [0, 1] }] });
    expect(unclean.replicaElectionResults[0]?.partitionResult.map((p) => p.errorCode)).toEqual([ErrorCode.ELECTION_NOT_NEEDED, ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE]);
  });

  it('null topics means every partition of the tenant; those needing no election are left out (as Kafka)', async () => {
    const res = await elect({ electionType: 0, timeoutMs: 1000, topicPartitions: null });
    expect(res.replicaElectionResults.map((t) => [t.topic, t.partitionResult.map((p) => p.partitionId)]).sort()).toEqual([
      ['offline', [1]],
      ['orders', []],
    ]);
  });

  it('v0 (no election type) is a preferred election; an unknown type is INVALID_REQUEST', async () => {
    const v0 = await elect({ timeoutMs: 1000, topicPartitions: [{ topic: 'orders', partitions: [0] }] }, 0);
    expect(v0.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(ErrorCode.ELECTION_NOT_NEEDED);
    const bad = await elect({ electionType: 5, timeoutMs: 1000, topicPartitions: [{ topic: 'orders', partitions: [0] }] });
    expect(bad.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.replicaElectionResults[0]?.partitionResult[0]?.errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });
});
