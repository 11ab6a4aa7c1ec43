// DescribeClientQuotas (key 48, KIP-546): the tenant's quotas in force, as the one entity the
// tenant's cluster has (the default user, see client-quota-entity.ts). Filters follow KIP-546:
// each component names an entity type and matches EXACT (a name), DEFAULT (the default entity)
// or SPECIFIED (any named entity); `strict` also requires the entity to have no other components.
import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeClientQuotasRequest, DescribeClientQuotasResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, tenantOf, type AdminContext } from './admin-context';
import { ENTITY_TYPES, TENANT_ENTITY, quotaValues } from './client-quota-entity';
import { callMetadata, translateMetadataError } from './metadata-call';

const MATCH_EXACT = 0;
const MATCH_DEFAULT = 1;
const MATCH_SPECIFIED = 2;

type Component = DescribeClientQuotasRequest['components'][number];

function failure(code: number, message: string): DescribeClientQuotasResponse {
  return { throttleTimeMs: 0, errorCode: code, errorMessage: message, entries: null };
}

/** INVALID_REQUEST text for a malformed filter, or undefined when it is well formed. */
export function invalidFilter(components: readonly Component[]): string | undefined {
  const seen = new Set<string>();
  for (const c of components) {
    if (!ENTITY_TYPES.has(c.entityType)) return `Unknown entity type ${c.entityType}.`;
    if (seen.has(c.entityType)) return `Duplicate filter component entity type ${c.entityType}.`;
    seen.add(c.entityType);
    if (c.matchType === MATCH_EXACT && c.match === null) return `Exact match for entity type ${c.entityType} requires a name.`;
    if (c.matchType !== MATCH_EXACT && c.matchType !== MATCH_DEFAULT && c.matchType !== MATCH_SPECIFIED) return `Unknown match type ${c.matchType}.`;
  }
  return undefined;
}

/** Whether the filter selects the tenant entity ({user: default}). */
export function selectsTenantEntity(components: readonly Component[], strict: boolean): boolean {
  for (const c of components) {
    if (c.entityType !== 'user') return false; // the tenant entity has no client-id or ip component
    if (c.matchType !== MATCH_DEFAULT) return false; // it is the default user, never a named one
  }
  // Strict: the entity must have exactly the filtered types, i.e. the filter must name `user`.
  return !strict || components.some((c) => c.entityType === 'user');
}

export function describeClientQuotasHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 48,
    name: 'DescribeClientQuotas',
    minVersion: 0,
    maxVersion: 1,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DescribeClientQuotasRequest;
      const invalid = invalidFilter(request.components);
      if (invalid) return { response: failure(ErrorCode.INVALID_REQUEST, invalid) };
      if (!selectsTenantEntity(request.components, request.strict)) {
        return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries: [] } satisfies DescribeClientQuotasResponse };
      }
      try {
        const quotas = await callMetadata(admin.metadata, 'getQuotas', { tenantId: { value: tenant } }, admin.metadataTimeoutMs);
        // In force = configured values with the cell defaults filled in (unset = unlimited, left out).
        const values = quotaValues(quotas.effective);
        const entries = values.length === 0 ? [] : [{ entity: TENANT_ENTITY.map((e) => ({ ...e })), values }];
        return { response: { throttleTimeMs: 0, errorCode: ErrorCode.NONE, errorMessage: null, entries } satisfies DescribeClientQuotasResponse };
      } catch (err) {
        const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
        ctx.logger.warn({ err, kafkaError: t.code }, 'DescribeClientQuotas: metadata call failed');
        return { response: failure(t.code, t.message) };
      }
    },
  };
}
