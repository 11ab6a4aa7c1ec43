// KIP-599 through the real topic handlers over the in-memory store, with an injected clock.
import { metadataV1 } from '@stratus/contracts';
import { cellId, tenantId, unwrap } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { createMetadataService } from '../service';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

const THROTTLING_QUOTA_EXCEEDED = 89;

describe('topic mutation quota in CreateTopics / CreatePartitions / DeleteTopics', () => {
  const kv = new MemoryKvStore();
  const store = new MetadataStore({ kv });
  let now = 5_000_000;
  const service = createMetadataService(store, { mutationQuota: { now: () => now } });
  let tenant: { value: string };
  afterAll(() => kv.close());

  beforeAll(async () => {
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    for (const [id, az] of [['r1', 'a'], ['r2', 'b'], ['r3', 'c']] as const) {
      unwrap(await store.nodes.register({ id, kind: 'replication', address: `${id}:1`, az, cell: cellId('c1'), ttlSeconds: 60 }));
    }
    // 1 partition mutation per second: a burst of 11.
    const created = unwrap(await store.tenants.create({ name: 'acme', cell: cellId('c1'), settings: { partitionMutationsPerSecond: 1 } }));
    tenant = { value: created.id };
  });

  const create = (names: string[], partitions: number, strict: boolean, validateOnly = false) =>
    invoke<metadataV1.CreateTopicsResponse>(service, 'createTopics', {
      tenantId: tenant,
      topics: names.map((name) => ({ name, numPartitions: partitions, replicationFactor: -1, configs: {} })),
      validateOnly,
      timeoutMs: 1000,
      strictMutationQuota: strict,
    });

  it('strict: creates until the bucket is below zero, then answers THROTTLING_QUOTA_EXCEEDED per topic with a throttle time', async () => {
    const r = await create(['a', 'b', 'c'], 6, true);
    // a: 11 → 5, b: 5 → -1 (allowed: the bucket was not below zero before it), c: refused.
    expect(r.results.map((x) => x.error?.code)).toEqual([0, 0, THROTTLING_QUOTA_EXCEEDED]);
    expect(r.throttleTimeMs).toBe(1000);
    expect((await store.topics.list(tenantId(tenant.value))).map((t) => t.name).sort()).toEqual(['a', 'b']);
  });

  it('validate_only is neither refused nor charged', async () => {
    const r = await create(['v'], 3, true, true);
    expect(r.results[0]?.error?.code).toBe(0);
    expect(r.throttleTimeMs).toBe(1000);
  });

  it('non-strict (old clients): everything is created and only the throttle time grows', async () => {
    const r = await create(['d'], 2, false);
    expect(r.results[0]?.error?.code).toBe(0);
    expect(r.throttleTimeMs).toBe(3000);
  });

  it('after the throttle time the tenant may mutate again; CreatePartitions counts only added partitions', async () => {
    now += 3000;
    const grow = (total: number) =>
      invoke<metadataV1.CreatePartitionsResponse>(service, 'createPartitions', {
        tenantId: tenant,
        topics: [{ name: 'a', totalCount: total }],
        validateOnly: false,
        timeoutMs: 1000,
        strictMutationQuota: true,
      });
    const first = await grow(8); // +2 → -2
    expect(first.results[0]?.error?.code).toBe(0);
    expect(first.throttleTimeMs).toBe(2000);
    const second = await grow(9);
    expect(second.results[0]?.error?.code).toBe(THROTTLING_QUOTA_EXCEEDED);
  });

  it('DeleteTopics charges the partitions of each deleted topic and refuses when over (strict)', async () => {
    now += 2000; // back to 0 tokens
    const r = await invoke<metadataV1.DeleteTopicsResponse>(service, 'deleteTopics', {
      tenantId: tenant,
      topics: [{ selector: { $case: 'name', value: 'd' } }, { selector: { $case: 'name', value: 'b' } }],
      timeoutMs: 1000,
      strictMutationQuota: true,
    });
    expect(r.results.map((x) => x.error?.code)).toEqual([0, THROTTLING_QUOTA_EXCEEDED]);
    expect(r.throttleTimeMs).toBe(2000);
  });
});
