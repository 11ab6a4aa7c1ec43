import { OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { offsetsTopicResolver, type TenantsView } from './offsets-topic-resolver';
import { router } from './routing.testkit';

describe('offsetsTopicResolver', () => {
  it('finds the offsets topic of the tenant’s cell through the cell’s system tenant', () => {
    const view = new InMemoryClusterView({ self: router(1) });
    const tenants = new Map([
      ['t-a', { name: 'acme', cell: 'c1', tenantId: { value: 't-a' } }],
      ['t-b', { name: 'beta', cell: 'c2', tenantId: { value: 't-b' } }],
      ['sys-1', { name: systemTenantName('c1'), cell: 'c1', tenantId: { value: 'sys-1' } }],
      ['sys-2', { name: systemTenantName('c2'), cell: 'c2', tenantId: { value: 'sys-2' } }],
    ]);
    const tv: TenantsView = { get: (id) => tenants.get(id), values: () => tenants.values() };
    const resolve = offsetsTopicResolver({ view, tenants: tv });
    expect(resolve('t-a')).toBeUndefined(); // not created yet
    const c1 = view.addTopic({ tenantId: 'sys-1', name: OFFSETS_TOPIC_NAME, partitionCount: 16, internal: true });
    const c2 = view.addTopic({ tenantId: 'sys-2', name: OFFSETS_TOPIC_NAME, partitionCount: 8, internal: true });
    expect(resolve('t-a')?.topicId).toEqual(c1.topicId);
    expect(resolve('t-b')?.topicId).toEqual(c2.topicId);
    expect(resolve('unknown-tenant')).toBeUndefined();
    // A tenant named like a system tenant in another cell is not taken for it.
    tenants.set('evil', { name: systemTenantName('c3'), cell: 'c1', tenantId: { value: 'evil' } });
    tenants.set('t-c', { name: 'gamma', cell: 'c3', tenantId: { value: 't-c' } });
    view.addTopic({ tenantId: 'evil', name: OFFSETS_TOPIC_NAME, partitionCount: 1 });
    expect(resolve('t-c')).toBeUndefined();
  });
});
