// BumpLeaderEpoch over the in-memory store: only the live leader incarnation may bump, the epoch
// only goes up, a repeated request does not bump twice, and the answer names why it refused.
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { cellId, unwrap } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { createMetadataService } from '../service';

type Unary = (call: { request: unknown }, cb: (err: { code: number } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res))));
}

describe('BumpLeaderEpoch', () => {
  const kv = new MemoryKvStore();
  const store = new MetadataStore({ kv });
  const service = createMetadataService(store);
  let assignment: metadataV1.PartitionAssignment;
  afterAll(() => kv.close());

  beforeAll(async () => {
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    for (const az of ['a', 'b', 'c']) unwrap(await store.nodes.register({ id: `r-${az}`, kind: 'replication', address: 'x:1', az, cell: cellId('c1'), ttlSeconds: 60 }));
    unwrap(await store.nodes.register({ id: 'b1', kind: 'broker', address: 'x:2', az: 'a', cell: cellId('c1'), ttlSeconds: 60 }));
    const t = await invoke<metadataV1.CreateTenantResponse>(service, 'createTenant', { name: 'acme', cell: 'c1', labels: {} });
    const created = await invoke<metadataV1.CreateTopicsResponse>(service, 'createTopics', {
      tenantId: t.tenant?.tenantId,
      topics: [{ name: 'orders', numPartitions: 2, replicationFactor: -1, configs: {} }],
      validateOnly: false,
      timeoutMs: 0,
    });
    const topicId = created.results[0]?.topicId;
    const all = await invoke<metadataV1.GetPartitionAssignmentsResponse>(service, 'getPartitionAssignments', {
      selector: { $case: 'topics', value: { topicIds: [topicId] } },
    });
    const first = all.assignments.find((a) => a.partition?.partition === 0);
    if (!first) throw new Error('no assignment for partition 0');
    assignment = first;
  });

  const bump = (overrides: Partial<metadataV1.BumpLeaderEpochRequest> = {}) =>
    invoke<metadataV1.BumpLeaderEpochResponse>(service, 'bumpLeaderEpoch', {
      partition: assignment.partition,
      nodeId: assignment.leaderNodeId,
      generation: assignment.leaderGeneration,
      leaderEpoch: assignment.leaderEpoch,
      ...overrides,
    });

  it('gives the live leader the next epoch, once per failed epoch', async () => {
    expect(assignment.leaderNodeId).toBe('b1');
    const first = await bump();
    expect(first.error?.code).toBe(ErrorCode.NONE);
    expect(first.assignment?.leaderEpoch).toBe(assignment.leaderEpoch + 1);
    expect(first.assignment?.leaderNodeId).toBe('b1');
    // The same request again (a retry after a lost answer) does not bump a second time.
    const again = await bump();
    expect(again.assignment?.leaderEpoch).toBe(assignment.leaderEpoch + 1);
    const stored = await invoke<metadataV1.GetPartitionAssignmentsResponse>(service, 'getPartitionAssignments', {
      selector: { $case: 'partitions', value: { partitions: [assignment.partition] } },
    });
    expect(stored.assignments[0]?.leaderEpoch).toBe(assignment.leaderEpoch + 1);
    // Asking for the new epoch moves it on again.
    expect((await bump({ leaderEpoch: assignment.leaderEpoch + 1 })).assignment?.leaderEpoch).toBe(assignment.leaderEpoch + 2);
  });

  it('refuses another broker, an old generation and an unknown partition', async () => {
    unwrap(await store.nodes.register({ id: 'b2', kind: 'broker', address: 'x:3', az: 'b', cell: cellId('c1'), ttlSeconds: 60 }));
    const b2 = await store.nodes.findById('b2');
    expect((await bump({ nodeId: 'b2', generation: b2?.generation ?? 0n })).error?.code).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect((await bump({ generation: assignment.leaderGeneration - 1n })).error?.code).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect((await bump({ partition: { topicId: assignment.partition?.topicId, partition: 99 } })).error?.code).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    await expect(bump({ nodeId: '' })).rejects.toMatchObject({ code: 3 });
  });
});
