// Gathers what the pure placement functions need: live replication nodes and brokers, and how
// many replicas / leaderships each already carries (counted over all partition keys).
import { brokerId, type BrokerId, type PlacementNode } from '@stratus/metadata-model';
import { versioned, type StoreContext } from './context';
import type { NodeStore } from './nodes';
import type { TopicPartitions } from './types';

export interface PlacementInput {
  readonly replicationNodes: PlacementNode[];
  readonly brokers: PlacementNode<BrokerId>[];
  readonly replicaLoad: Map<string, number>;
  readonly leaderLoad: Map<string, number>;
}

export async function loadPlacementInput(ctx: StoreContext, nodes: NodeStore): Promise<PlacementInput> {
  const [replication, brokers, partitions] = await Promise.all([
    nodes.list('replication'),
    nodes.list('broker'),
    ctx.kv.range(ctx.keys.partitions()),
  ]);
  const replicaLoad = new Map<string, number>();
  const leaderLoad = new Map<string, number>();
  for (const entry of partitions.entries) {
    for (const p of versioned<TopicPartitions>(entry).value.partitions) {
      for (const r of p.replicas) replicaLoad.set(r, (replicaLoad.get(r) ?? 0) + 1);
      if (p.leader !== null) leaderLoad.set(p.leader, (leaderLoad.get(p.leader) ?? 0) + 1);
    }
  }
  return {
    replicationNodes: replication.map((n) => ({ id: n.id, az: n.az, cell: n.cell })),
    brokers: brokers.map((b) => ({ id: brokerId(b.id), az: b.az, cell: b.cell, generation: b.generation })),
    replicaLoad,
    leaderLoad,
  };
}
