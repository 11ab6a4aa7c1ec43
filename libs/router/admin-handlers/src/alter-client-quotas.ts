// AlterClientQuotas (key 49, KIP-546): sets or removes the tenant's quotas through the one entity
// the tenant's cluster has (the default user, see client-quota-entity.ts). Every entry is checked
// first (entity, keys, values); the valid entries are then applied together as one metadata
// SetQuotas, compare-and-set on the tenant record so a concurrent change is never overwritten.
// A removed key falls back to the cell default.
import { ErrorCode } from '@stratus/kafka-errors';
import type { metadataV1 } from '@stratus/contracts';
import type { AlterClientQuotasRequest, AlterClientQuotasResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, tenantOf, type AdminContext } from './admin-context';
import { ENTITY_TYPES, QUOTA_KEY_BY_NAME, isTenantEntity } from './client-quota-entity';
import { callMetadata, translateMetadataError } from './metadata-call';

type Entry = AlterClientQuotasRequest['entries'][number];
type EntryResult = AlterClientQuotasResponse['entries'][number];

const INT32_MAX = 2 ** 31 - 1;
/** Concurrent changes to the tenant record are retried this many times. */
const CAS_ATTEMPTS = 3;

/** Why an entry cannot be applied (INVALID_REQUEST), or undefined. */
export function invalidEntry(entry: Entry): string | undefined {
  const types = new Set<string>();
  for (const e of entry.entity) {
    if (!ENTITY_TYPES.has(e.entityType)) return `Unknown entity type ${e.entityType}.`;
    if (types.has(e.entityType)) return `Duplicate entity type ${e.entityType}.`;
    types.add(e.entityType);
  }
  if (!isTenantEntity(entry.entity)) {
    return 'Stratus quotas apply to the whole tenant: use the default user entity (user=<default>); per-user, client-id and ip quotas are not supported.';
  }
  const keys = new Set<string>();
  for (const op of entry.ops) {
    const key = QUOTA_KEY_BY_NAME.get(op.key);
    if (!key) return `Unknown quota key ${op.key}.`;
    if (keys.has(op.key)) return `Duplicate quota key ${op.key}.`;
    keys.add(op.key);
    if (op.remove) continue;
    if (!Number.isFinite(op.value) || op.value < 0) return `Quota ${op.key} must be a non-negative number.`;
    if (!Number.isInteger(op.value)) return `Quota ${op.key} must be a whole number in Stratus.`;
    if (!key.int64 && op.value > INT32_MAX) return `Quota ${op.key} is out of range.`;
    if (key.int64 && op.value > Number.MAX_SAFE_INTEGER) return `Quota ${op.key} is out of range.`;
  }
  return undefined;
}

/** The configured quotas after applying the entries' ops in order. */
export function applyOps(configured: metadataV1.TenantQuotas, entries: readonly Entry[]): metadataV1.TenantQuotas {
  const next: Record<string, number | bigint | undefined> = { ...configured };
  for (const entry of entries) {
    for (const op of entry.ops) {
      const key = QUOTA_KEY_BY_NAME.get(op.key);
      if (!key) continue;
      if (op.remove) delete next[key.field];
      else next[key.field] = key.int64 ? BigInt(op.value) : op.value;
    }
  }
  return next as metadataV1.TenantQuotas;
}

function resultOf(entry: Entry, code: number, message: string | null): EntryResult {
  return { errorCode: code, errorMessage: message, entity: entry.entity.map((e) => ({ entityType: e.entityType, entityName: e.entityName })) };
}

export function alterClientQuotasHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 49,
    name: 'AlterClientQuotas',
    minVersion: 0,
    maxVersion: 1,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as AlterClientQuotasRequest;
      const results = new Map<Entry, EntryResult>();
      const valid: Entry[] = [];
      for (const entry of request.entries) {
        const invalid = invalidEntry(entry);
        if (invalid) results.set(entry, resultOf(entry, ErrorCode.INVALID_REQUEST, invalid));
        else valid.push(entry);
      }
      if (valid.length > 0) {
        const outcome = await apply(admin, tenant, valid, request.validateOnly).catch((err: unknown) => {
          const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
          ctx.logger.warn({ err, kafkaError: t.code }, 'AlterClientQuotas: metadata call failed');
          return t;
        });
        for (const entry of valid) results.set(entry, resultOf(entry, outcome.code, outcome.code === ErrorCode.NONE ? null : outcome.message));
      }
      const response: AlterClientQuotasResponse = { throttleTimeMs: 0, entries: request.entries.map((e) => results.get(e) as EntryResult) };
      return { response };
    },
  };
}

async function apply(admin: AdminContext, tenant: string, entries: readonly Entry[], validateOnly: boolean): Promise<{ code: number; message: string }> {
  for (let attempt = 1; ; attempt++) {
    const current = await callMetadata(admin.metadata, 'getQuotas', { tenantId: { value: tenant } }, admin.metadataTimeoutMs);
    try {
      await callMetadata(
        admin.metadata,
        'setQuotas',
        { tenantId: { value: tenant }, quotas: applyOps(current.configured ?? {}, entries), expectedRevision: current.revision, validateOnly },
        admin.metadataTimeoutMs,
      );
      return { code: ErrorCode.NONE, message: '' };
    } catch (err) {
      // Someone else changed the tenant in between: read again and re-apply (bounded).
      const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
      if (t.code !== ErrorCode.INVALID_UPDATE_VERSION || attempt >= CAS_ATTEMPTS) throw err;
    }
  }
}
