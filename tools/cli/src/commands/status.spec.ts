import { commonV1, metadataV1, tieredV1 } from '@stratus/contracts';
import { groupNodes, partitionProblem } from './status';
import { describeTieringLag, sumTieringLag } from './tiering-lag';

const node = (nodeId: string, role: commonV1.NodeRole, az: string) =>
  metadataV1.NodeRegistration.fromPartial({ node: { nodeId, role, placement: { cell: 'c', availabilityZone: az } } });

describe('status', () => {
  it('groups nodes by layer (router, broker, replication, tiered) then AZ', () => {
    const groups = groupNodes([
      node('r2', commonV1.NodeRole.REPLICATION, 'b'),
      node('b1', commonV1.NodeRole.BROKER, 'a'),
      node('r1', commonV1.NodeRole.REPLICATION, 'a'),
      node('r3', commonV1.NodeRole.REPLICATION, 'a'),
      node('rt', commonV1.NodeRole.ROUTER, 'a'),
    ]);
    expect(groups).toEqual([
      { layer: 'router', az: 'a', nodes: ['rt'] },
      { layer: 'broker', az: 'a', nodes: ['b1'] },
      { layer: 'replication', az: 'a', nodes: ['r1', 'r3'] },
      { layer: 'replication', az: 'b', nodes: ['r2'] },
    ]);
  });

  it('flags partitions without a full, live replica set or a live leader', () => {
    const opts = { replicationFactor: 3, live: new Set(['r1', 'r2', 'r3']), brokers: new Set(['b1']) };
    const p = (leader: string, replicas: string[]) => metadataV1.PartitionAssignment.fromPartial({ leaderNodeId: leader, replicaNodeIds: replicas });
    expect(partitionProblem(p('b1', ['r1', 'r2', 'r3']), opts)).toBeUndefined();
    expect(partitionProblem(p('', ['r1', 'r2', 'r3']), opts)).toBe('no leader');
    expect(partitionProblem(p('b9', ['r1', 'r2', 'r3']), opts)).toBe('leader b9 not alive');
    expect(partitionProblem(p('b1', ['r1', 'r2']), opts)).toBe('2/3 replicas');
    expect(partitionProblem(p('b1', ['r1', 'r2', 'r7']), opts)).toBe('replica r7 not alive');
    expect(partitionProblem(p('', ['r8', 'r9']), opts)).toBe('no leader; 2/3 replicas; replicas r8,r9 not alive');
  });
});

describe('tiering lag', () => {
  it('adds up lag over nodes and partitions, and names nodes that did not answer', () => {
    const p = (lagSegments: number, lagBytes: bigint, oldestPendingMs: bigint, lastUploadError = '') => tieredV1.PartitionTieringStatus.fromPartial({ lagSegments, lagBytes, oldestPendingMs, lastUploadError });
    const lag = sumTieringLag([
      { node: 'ts-1', response: { partitions: [p(2, 2048n, 5_000n), p(0, 0n, 0n)] } },
      { node: 'ts-2', response: { partitions: [p(3, 1000n, 9_000n, 'S3 unavailable')] } },
      { node: 'ts-3', response: undefined },
    ]);
    expect(lag).toEqual({ partitions: 3, lagSegments: 5, lagBytes: 3048, oldestPendingMs: 9_000, failing: 1, unreachable: ['ts-3'] });
    expect(describeTieringLag(lag)).toBe('Tiering lag: 5 segment(s), 3048 bytes waiting over 3 partition(s); oldest waiting 9 s; 1 partition(s) failing to upload; no answer from ts-3');
    expect(describeTieringLag(null)).toBe('Tiering lag: n/a (no tiered-storage node registered)');
  });
});
