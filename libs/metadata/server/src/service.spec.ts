// Handler logic without a network: handlers are invoked with minimal call objects over the
// in-memory store. The gRPC round trip itself is covered by server.int.spec.ts.
import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { cellId, newTopicId, unwrap } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { topicIdFromBytes, topicIdToBytes } from './convert';
import { createMetadataService } from './service';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

describe('MetadataService handlers', () => {
  const kv = new MemoryKvStore();
  const store = new MetadataStore({ kv });
  const service = createMetadataService(store);
  afterAll(() => kv.close());
  beforeAll(async () => {
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
  });

  it('round-trips topic ids between UUID text and 16 bytes, and rejects other lengths', () => {
    const id = newTopicId();
    expect(topicIdToBytes(id)).toHaveLength(16);
    expect(topicIdFromBytes(topicIdToBytes(id))).toBe(id);
    expect(topicIdFromBytes(Buffer.alloc(15))).toBeUndefined();
  });

  it('maps whole-request failures to gRPC statuses and requires a tenant id', async () => {
    await expect(invoke(service, 'listTopics', { page: undefined, includeInternal: false })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(invoke(service, 'createTenant', { tenantId: { value: 'chosen' }, name: 'x', cell: 'c1', labels: {} })).rejects.toMatchObject({
      code: status.INVALID_ARGUMENT,
    });
    await expect(invoke(service, 'createTenant', { name: 'x', cell: 'nowhere', labels: {} })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(invoke(service, 'getTenant', { selector: { $case: 'tenantId', value: { value: 'lkc-none' } } })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });

  it('answers per-item errors for topics of an unknown id and non-topic config resources', async () => {
    const t = await invoke<metadataV1.CreateTenantResponse>(service, 'createTenant', { name: 'acme', cell: 'c1', labels: {} });
    const tenantId = t.tenant?.tenantId;
    const described = await invoke<metadataV1.DescribeTopicsResponse>(service, 'describeTopics', {
      tenantId,
      topics: [{ selector: { $case: 'topicId', value: { value: Buffer.alloc(3) } } }, { selector: { $case: 'name', value: 'nope' } }],
      includePartitions: false,
    });
    expect(described.topics.map((d) => d.error?.code)).toEqual([100, 3]);
    const cfg = await invoke<metadataV1.DescribeConfigsResponse>(service, 'describeConfigs', {
      tenantId,
      resources: [{ resource: { type: metadataV1.ConfigResourceType.GROUP, name: 'g' }, configNames: [] }],
      includeSynonyms: false,
      includeDocumentation: false,
    });
    expect(cfg.results[0]?.error?.code).toBe(42);
  });
});
