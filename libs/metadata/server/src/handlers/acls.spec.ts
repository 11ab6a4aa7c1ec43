// The ACL RPCs over the in-memory KV, invoked as grpc-js would.
import { status } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { cellId, unwrap } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { aclHandlers } from './acls';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(handlers: Record<string, unknown>, method: string, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (handlers[method] as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

const binding = (name: string, p: Partial<metadataV1.AclBinding> = {}): metadataV1.AclBinding => ({
  resourceType: metadataV1.AclResourceType.TOPIC,
  resourceName: name,
  patternType: metadataV1.AclPatternType.LITERAL,
  principal: 'User:ak-1',
  host: '*',
  operation: metadataV1.AclOperation.READ,
  permissionType: metadataV1.AclPermissionType.DENY,
  ...p,
});

const anyFilter: metadataV1.AclBindingFilter = {
  resourceType: metadataV1.AclResourceType.ANY,
  patternType: metadataV1.AclPatternType.ANY,
  operation: metadataV1.AclOperation.ANY,
  permissionType: metadataV1.AclPermissionType.ANY,
};

describe('ACL RPCs', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  let handlers: ReturnType<typeof aclHandlers>;
  let tenant: { value: string };
  let other: { value: string };

  beforeAll(async () => {
    const store = new MetadataStore({ kv });
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    tenant = { value: unwrap(await store.tenants.create({ name: 'acme', cell: cellId('c1') })).id };
    other = { value: unwrap(await store.tenants.create({ name: 'globex', cell: cellId('c1') })).id };
    handlers = aclHandlers(store);
  });

  it('creates with per-binding errors, describes and deletes with the matched bindings', async () => {
    const created = await invoke<metadataV1.CreateAclsResponse>(handlers, 'createAcls', {
      tenantId: tenant,
      creations: [binding('orders'), binding('', {}), binding('x', { patternType: metadataV1.AclPatternType.MATCH })],
    });
    expect(created.results.map((r) => r.error?.code ?? 0)).toEqual([0, 42, 42]);
    expect(created.results[2]?.error?.message).toContain('patternType');
    const described = await invoke<metadataV1.DescribeAclsResponse>(handlers, 'describeAcls', { tenantId: tenant, filter: anyFilter });
    expect(described.bindings).toEqual([binding('orders')]);
    const unknown = await invoke<metadataV1.DescribeAclsResponse>(handlers, 'describeAcls', { tenantId: tenant, filter: { ...anyFilter, operation: 0 } });
    expect(unknown.error?.code).toBe(42);
    const otherView = await invoke<metadataV1.DescribeAclsResponse>(handlers, 'describeAcls', { tenantId: other, filter: anyFilter });
    expect(otherView.bindings).toEqual([]);
    const deleted = await invoke<metadataV1.DeleteAclsResponse>(handlers, 'deleteAcls', { tenantId: tenant, filters: [{ ...anyFilter, resourceName: 'orders' }] });
    expect(deleted.results).toEqual([{ matched: [binding('orders')] }]);
  });

  it('fails the whole call for a missing tenant id or an unknown tenant', async () => {
    await expect(invoke(handlers, 'createAcls', { creations: [] })).rejects.toMatchObject({ code: status.INVALID_ARGUMENT });
    await expect(invoke(handlers, 'createAcls', { tenantId: { value: 'lkc-missing' }, creations: [binding('a')] })).rejects.toMatchObject({ code: status.NOT_FOUND });
  });
});
