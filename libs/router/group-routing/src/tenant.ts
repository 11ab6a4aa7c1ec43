// The authenticated tenant of a request, and the namespacing of its group ids
// (`<tenantId>/<groupId>`, see @stratus/coordinator-keys and docs/groups.md).
import { groupIdForTenant, internalGroupId, type InternalGroupId } from '@stratus/coordinator-keys';
import type { RequestContext } from '@stratus/router-kafka-server';

export function tenantOf(ctx: RequestContext): string | undefined {
  return ctx.sasl.principal?.tenantId;
}

export const toInternal = (tenantId: string, groupId: string): InternalGroupId => internalGroupId(tenantId, groupId);

/** The client's id of an internal group id, or undefined when it is not this tenant's (never shown). */
export const toClient = (tenantId: string, id: string): string | undefined => groupIdForTenant(tenantId, id);

export const NOT_AUTHENTICATED = { violation: 'group API before authentication' } as const;
