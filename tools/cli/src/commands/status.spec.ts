import { commonV1, metadataV1 } from '@stratus/contracts';
import { groupNodes, partitionProblem } from './status';

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
