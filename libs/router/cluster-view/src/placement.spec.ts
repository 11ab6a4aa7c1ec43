import type { RouterEndpoint } from './cluster-view';
import { coordinatorRouter, partitionLeader, partitionReplicas, routersInZone, tenantClusterId } from './placement';

const router = (kafkaNodeId: number, az: string): RouterEndpoint => ({ nodeId: `r${kafkaNodeId}`, kafkaNodeId, host: `h${kafkaNodeId}`, port: 9092, availabilityZone: az });
const routers = [router(1, 'a'), router(2, 'b'), router(3, 'a'), router(4, 'c'), router(5, 'a')];
const topicId = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');

describe('placement', () => {
  it('keeps leaders inside the answering AZ, falling back to every router when the AZ has none', () => {
    expect(routersInZone(routers, 'a').map((r) => r.kafkaNodeId)).toEqual([1, 3, 5]);
    expect(routersInZone(routers, 'z').map((r) => r.kafkaNodeId)).toEqual([1, 2, 3, 4, 5]);
  });

  it('spreads a topic’s partitions evenly and deterministically over the candidates', () => {
    const local = routersInZone(routers, 'a');
    const counts = new Map<number, number>();
    for (let p = 0; p < 30; p++) {
      const leader = partitionLeader(local, topicId, p);
      expect(leader?.availabilityZone).toBe('a');
      counts.set(leader?.kafkaNodeId ?? -1, (counts.get(leader?.kafkaNodeId ?? -1) ?? 0) + 1);
      // Same inputs, same answer (another router of the AZ computes the same).
      expect(partitionLeader([...local], Buffer.from(topicId), p)).toEqual(leader);
    }
    expect([...counts.values()]).toEqual([10, 10, 10]);
    expect(partitionLeader([], topicId, 0)).toBeUndefined();
  });

  it('lists replicas starting at the leader, capped by the candidate count', () => {
    const local = routersInZone(routers, 'a');
    const leader = local[1] as RouterEndpoint;
    expect(partitionReplicas(local, leader, 3).map((r) => r.kafkaNodeId)).toEqual([3, 5, 1]);
    expect(partitionReplicas(local, leader, 5).map((r) => r.kafkaNodeId)).toEqual([3, 5, 1]);
    expect(partitionReplicas(local.slice(0, 1), local[0] as RouterEndpoint, 3).map((r) => r.kafkaNodeId)).toEqual([1]);
  });

  it('picks a coordinator router per (tenant, key), the same on every call', () => {
    const local = routersInZone(routers, 'a');
    const picks = new Set<number>();
    for (let g = 0; g < 50; g++) {
      const r = coordinatorRouter(local, 't-1', `group-${g}`);
      expect(coordinatorRouter(local, 't-1', `group-${g}`)).toEqual(r);
      picks.add(r?.kafkaNodeId ?? -1);
    }
    expect([...picks].sort()).toEqual([1, 3, 5]);
    expect(coordinatorRouter([], 't', 'g')).toBeUndefined();
  });

  it('derives a stable 22-character cluster id per tenant', () => {
    expect(tenantClusterId('t-1')).toBe(tenantClusterId('t-1'));
    expect(tenantClusterId('t-1')).not.toBe(tenantClusterId('t-2'));
    expect(tenantClusterId('t-1')).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });
});
