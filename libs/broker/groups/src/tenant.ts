import { groupKey, type GroupKey } from './types';

// Group ids are namespaced per tenant exactly like topic names (ARCHITECTURE.md: `t-42/orders`).
// Tenant ids never contain '/', so the first '/' separates tenant from the client's group id,
// which itself may contain '/'.
const SEP = '/';

export function tenantGroupKey(tenant: string, groupId: string): GroupKey {
  if (tenant.length === 0 || tenant.includes(SEP)) throw new Error(`invalid tenant id: ${JSON.stringify(tenant)}`);
  return groupKey(`${tenant}${SEP}${groupId}`);
}

export function splitGroupKey(key: GroupKey): { tenant: string; groupId: string } | undefined {
  const i = key.indexOf(SEP);
  if (i <= 0) return undefined;
  return { tenant: key.slice(0, i), groupId: key.slice(i + 1) };
}

/** A predicate for ListGroups so a tenant only ever sees its own groups. */
export function inTenant(tenant: string): (key: GroupKey) => boolean {
  const prefix = `${tenant}${SEP}`;
  return (key) => key.startsWith(prefix);
}
