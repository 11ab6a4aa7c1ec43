// Which offsets topic coordinates a tenant's groups: the one of the tenant's cell, owned by that
// cell's system tenant (`systemTenantName(cell)`, see docs/groups.md "The offsets topic").
import { OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';
import type { ClusterView, TopicView } from '@stratus/router-cluster-view';

/** The part of the watched tenants map this needs (metadataV1.Tenant values fit). */
export interface TenantsView {
  get(tenantId: string): { readonly cell: string } | undefined;
  values(): Iterable<{ readonly name: string; readonly cell: string; readonly tenantId?: { readonly value: string } | undefined }>;
}

export function offsetsTopicResolver(options: { readonly view: ClusterView; readonly tenants: TenantsView; readonly topicName?: string }): (tenantId: string) => TopicView | undefined {
  const { view, tenants } = options;
  const name = options.topicName ?? OFFSETS_TOPIC_NAME;
  const systemTenantByCell = new Map<string, string>();
  const find = (cell: string): string | undefined => {
    const wanted = systemTenantName(cell);
    for (const t of tenants.values()) if (t.name === wanted && t.cell === cell && t.tenantId) return t.tenantId.value;
    return undefined;
  };
  return (tenantId) => {
    const cell = tenants.get(tenantId)?.cell;
    if (cell === undefined) return undefined;
    const cached = systemTenantByCell.get(cell);
    const hit = cached !== undefined ? view.topicByName(cached, name) : undefined;
    if (hit) return hit;
    // First use, or the system tenant was re-created: look it up again.
    const id = find(cell);
    if (id === undefined) return undefined;
    systemTenantByCell.set(cell, id);
    return view.topicByName(id, name);
  };
}
