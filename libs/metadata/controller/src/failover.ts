// One reconcile pass of the controller: every partition whose leader is not a live broker of its
// tenant's cell moves to the least-loaded live broker there, with its leader epoch bumped, in one
// transaction per topic that is fenced by the controller token and compares the topic's partition
// document and each new leader's registration on their revisions. Epochs only ever increase
// because each new epoch is computed from the document at the revision the write compares.
import { brokerId, nodeId, reassignLeaders, type BrokerId, type CellId, type PlacementNode } from '@stratus/metadata-model';
import { encode, versioned, type KvCompare, type MetadataStore, type PartitionState, type Tenant, type TopicPartitions } from '@stratus/metadata-store';

export interface ReconcileReport {
  readonly moved: number;
  readonly topicsWritten: number;
  /** Transactions that failed their compares (lost race or fenced): retried next pass. */
  readonly conflicts: number;
}

export async function reconcileLeadership(store: MetadataStore, token: bigint): Promise<ReconcileReport> {
  const { kv, keys } = store;
  const [brokerRange, tenantRange, partRange] = await Promise.all([kv.range(keys.nodes('broker')), kv.range(keys.tenants()), kv.range(keys.partitions())]);
  const brokerCreate = new Map<string, bigint>();
  const brokersByCell = new Map<CellId, PlacementNode<BrokerId>[]>();
  for (const e of brokerRange.entries) {
    const b = versioned<{ id: string; az: string; cell: CellId }>(e).value;
    brokerCreate.set(e.key, e.createRevision);
    // The registration key's create revision is the broker's generation (one per incarnation).
    brokersByCell.set(b.cell, [...(brokersByCell.get(b.cell) ?? []), { id: brokerId(b.id), az: b.az, cell: b.cell, generation: e.createRevision }]);
  }
  const cellOf = new Map(tenantRange.entries.map((e) => {
    const t = versioned<Tenant>(e).value;
    return [t.id as string, t.cell] as const;
  }));
  const leaderLoad = new Map<string, number>();
  const docs = partRange.entries.map((e) => versioned<TopicPartitions>(e));
  for (const d of docs) for (const p of d.value.partitions) if (p.leader) leaderLoad.set(p.leader, (leaderLoad.get(p.leader) ?? 0) + 1);

  let moved = 0;
  let topicsWritten = 0;
  let conflicts = 0;
  for (const doc of docs) {
    const cell = cellOf.get(doc.value.tenantId);
    if (cell === undefined) continue;
    const live = brokersByCell.get(cell) ?? [];
    const changes = reassignLeaders({
      partitions: doc.value.partitions.map((p) => ({ key: p.index, leader: p.leader, leaderEpoch: p.leaderEpoch, leaderGeneration: p.leaderGeneration ?? null })),
      liveBrokers: live,
      leaderLoad,
    });
    if (changes.length === 0) continue;
    const byIndex = new Map(changes.map((c) => [c.key, c]));
    const partitions: PartitionState[] = doc.value.partitions.map((p) => {
      const c = byIndex.get(p.index);
      return c ? { ...p, leader: c.leader, leaderEpoch: c.leaderEpoch, leaderGeneration: c.leaderGeneration } : p;
    });
    const docKey = keys.topicPartitions(doc.value.tenantId, doc.value.topicId);
    const compares: KvCompare[] = [
      { key: keys.controller(), target: 'createRevision', op: '==', value: token },
      { key: docKey, target: 'modRevision', op: '==', value: doc.modRevision },
    ];
    for (const leader of new Set(changes.map((c) => c.leader).filter((l): l is BrokerId => l !== null))) {
      const nodeKey = keys.node('broker', nodeId(leader));
      compares.push({ key: nodeKey, target: 'createRevision', op: '==', value: brokerCreate.get(nodeKey) ?? -1n });
    }
    const result = await kv.txn(compares, [{ type: 'put', key: docKey, value: encode({ ...doc.value, partitions }) }]);
    if (result.succeeded) {
      topicsWritten++;
      moved += changes.length;
      for (const c of changes) {
        const before = doc.value.partitions[c.key]?.leader;
        if (before) leaderLoad.set(before, (leaderLoad.get(before) ?? 1) - 1);
        if (c.leader) leaderLoad.set(c.leader, (leaderLoad.get(c.leader) ?? 0) + 1);
      }
    } else {
      conflicts++;
    }
  }
  return { moved, topicsWritten, conflicts };
}
