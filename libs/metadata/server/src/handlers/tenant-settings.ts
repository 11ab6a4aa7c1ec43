// UpdateTenant, GetQuotas and SetQuotas. Quotas travel as stratus.metadata.v1.TenantQuotas, where
// an absent field means "the cell default" and an explicit 0 means "nothing allowed"; the store
// keeps that distinction (configured) beside the values in force (effective).
import { metadataV1 } from '@stratus/contracts';
import { fail, type Result } from '@stratus/metadata-model';
import {
  configuredSettings,
  effectiveQuotas,
  resolveSettings,
  type MetadataStore,
  type Tenant,
  type TenantQuotaSettings,
  type TenantState,
  type UpdateTenantRequest,
} from '@stratus/metadata-store';
import { tenantToProto } from '../convert';
import { BadRequest, orThrow, requireTenant, unary } from '../rpc';

type Proto = metadataV1.TenantQuotas;

/** Proto field ↔ store setting; int64 fields arrive as bigint. */
const FIELDS: readonly [keyof Proto, keyof TenantQuotaSettings, 'int64' | 'int32'][] = [
  ['produceBytesPerSecond', 'produceBytesPerSecond', 'int64'],
  ['fetchBytesPerSecond', 'fetchBytesPerSecond', 'int64'],
  ['requestsPerSecond', 'requestsPerSecond', 'int64'],
  ['maxConnections', 'maxConnections', 'int32'],
  ['connectionCreationsPerSecond', 'connectionsPerSecond', 'int32'],
  ['maxPartitions', 'maxPartitions', 'int32'],
  ['maxStorageBytes', 'storageBytes', 'int64'],
  ['partitionMutationsPerSecond', 'partitionMutationsPerSecond', 'int32'],
  ['maxTopics', 'maxTopics', 'int32'],
];

/** Explicit settings from the wire; values beyond 2^53 are rejected rather than rounded. */
export function settingsFromProto(q: Proto | undefined): TenantQuotaSettings {
  const out: Record<string, number> = {};
  for (const [wire, setting] of FIELDS) {
    const v = q?.[wire];
    if (v === undefined) continue;
    if (typeof v === 'bigint' && (v > BigInt(Number.MAX_SAFE_INTEGER) || v < -BigInt(Number.MAX_SAFE_INTEGER))) {
      throw new BadRequest(`quota ${wire} is out of range`);
    }
    out[setting] = Number(v);
  }
  return out;
}

export function settingsToProto(s: TenantQuotaSettings): Proto {
  const out: Record<string, bigint | number> = {};
  for (const [wire, setting, type] of FIELDS) {
    const v = s[setting];
    if (v !== undefined) out[wire] = type === 'int64' ? BigInt(v) : v;
  }
  return out as Proto;
}

function effectiveOf(t: Tenant): Proto {
  return settingsToProto({ ...effectiveQuotas(t), ...t.limits });
}

const STATES = new Map<metadataV1.TenantState, TenantState>([
  [metadataV1.TenantState.ACTIVE, 'active'],
  [metadataV1.TenantState.SUSPENDED, 'suspended'],
]);

function stateFromProto(state: metadataV1.TenantState | undefined): TenantState | undefined {
  if (state === undefined) return undefined;
  const mapped = STATES.get(state);
  // MIGRATING is the controller's to set and DELETING is DeleteTenant's.
  if (!mapped) throw new BadRequest('state may only be set to TENANT_STATE_ACTIVE or TENANT_STATE_SUSPENDED');
  return mapped;
}

/** expected_revision 0 means unconditional, as everywhere in the contract. */
const expected = (revision: bigint): bigint | undefined => (revision === 0n ? undefined : revision);

const notFound = (id: string): Result<never> => fail('RESOURCE_NOT_FOUND', `Tenant ${id} not found`);

export function tenantSettingsHandlers(store: MetadataStore) {
  return {
    updateTenant: unary(async (req: metadataV1.UpdateTenantRequest): Promise<metadataV1.UpdateTenantResponse> => {
      const id = requireTenant(req.tenantId);
      const request: UpdateTenantRequest = {
        expectedRevision: expected(req.expectedRevision),
        name: req.name,
        state: stateFromProto(req.state),
        settings: req.quotas === undefined ? undefined : settingsFromProto(req.quotas),
        // proto3 maps cannot be "absent": an empty map without replace_labels changes nothing.
        labels: req.replaceLabels || Object.keys(req.labels).length > 0 ? { values: req.labels, replace: req.replaceLabels } : undefined,
      };
      const updated = orThrow(await store.tenants.update(id, request));
      return { tenant: tenantToProto(updated.value, updated.modRevision) };
    }),
    getQuotas: unary(async (req: metadataV1.GetQuotasRequest): Promise<metadataV1.GetQuotasResponse> => {
      const id = requireTenant(req.tenantId);
      const found = await store.tenants.get(id);
      if (!found) return orThrow(notFound(id));
      return { configured: settingsToProto(configuredSettings(found.value)), effective: effectiveOf(found.value), revision: found.modRevision };
    }),
    setQuotas: unary(async (req: metadataV1.SetQuotasRequest): Promise<metadataV1.SetQuotasResponse> => {
      const id = requireTenant(req.tenantId);
      const settings = settingsFromProto(req.quotas);
      if (req.validateOnly) {
        const found = await store.tenants.get(id);
        if (!found) return orThrow(notFound(id));
        const rev = expected(req.expectedRevision);
        if (rev !== undefined && rev !== found.modRevision) orThrow(fail('INVALID_UPDATE_VERSION', `Tenant ${id} is at revision ${found.modRevision}, not ${rev}`));
        const resolved = orThrow(resolveSettings(settings));
        return { configured: settingsToProto(resolved.configured), effective: settingsToProto({ ...resolved.quotas, ...resolved.limits }), revision: found.modRevision };
      }
      const updated = orThrow(await store.tenants.update(id, { expectedRevision: expected(req.expectedRevision), settings }));
      return { configured: settingsToProto(configuredSettings(updated.value)), effective: effectiveOf(updated.value), revision: updated.modRevision };
    }),
  };
}
