import { metadataV1 } from '@stratus/contracts';
import { apiKeyId, cellId, fail, type Result } from '@stratus/metadata-model';
import type { MetadataStore } from '@stratus/metadata-store';
import { apiKeyToProto, tenantToProto } from '../convert';
import { BadRequest, orThrow, requireTenant, unary } from '../rpc';
import { settingsFromProto } from './tenant-settings';

const notFound = (what: string): Result<never> => fail('RESOURCE_NOT_FOUND', `Tenant ${what} not found`);

export function tenantHandlers(store: MetadataStore) {
  return {
    createTenant: unary(async (req: metadataV1.CreateTenantRequest): Promise<metadataV1.CreateTenantResponse> => {
      if (req.tenantId?.value) throw new BadRequest('tenant ids are assigned by the metadata service; leave tenant_id empty');
      const created = orThrow(await store.tenants.create({ name: req.name, cell: req.cell ? cellId(req.cell) : undefined, settings: settingsFromProto(req.quotas), labels: req.labels }));
      const read = await store.tenants.get(created.id);
      return { tenant: tenantToProto(created, read?.modRevision ?? 0n) };
    }),
    getTenant: unary(async (req: metadataV1.GetTenantRequest): Promise<metadataV1.GetTenantResponse> => {
      const sel = req.selector;
      if (!sel) throw new BadRequest('tenant_id or name is required');
      const found = sel.$case === 'tenantId' ? await store.tenants.get(requireTenant(sel.value)) : await store.tenants.findByName(sel.value);
      if (!found) orThrow(notFound(sel.$case === 'tenantId' ? sel.value.value : sel.value));
      return { tenant: found && tenantToProto(found.value, found.modRevision) };
    }),
    listTenants: unary(async (req: metadataV1.ListTenantsRequest): Promise<metadataV1.ListTenantsResponse> => {
      const tenants = (await store.tenants.list()).filter((t) => !req.cell || t.cell === req.cell);
      const versions = await Promise.all(tenants.map((t) => store.tenants.get(t.id)));
      return {
        tenants: versions.flatMap((v) => (v ? [tenantToProto(v.value, v.modRevision)] : [])),
        page: { nextPageToken: '' },
      };
    }),
    deleteTenant: unary(async (req: metadataV1.DeleteTenantRequest): Promise<metadataV1.DeleteTenantResponse> => {
      const id = requireTenant(req.tenantId);
      const current = await store.tenants.get(id);
      if (!current) orThrow(notFound(id));
      if (req.expectedRevision !== 0n && current && current.modRevision !== req.expectedRevision) {
        orThrow(fail('INVALID_REQUEST', `Tenant ${id} is at revision ${current.modRevision}, not ${req.expectedRevision}`));
      }
      const deleted = orThrow(await store.tenants.delete(id));
      return { tenant: { ...tenantToProto(deleted, current?.modRevision ?? 0n), state: metadataV1.TenantState.DELETING } };
    }),
    createApiKey: unary(async (req: metadataV1.CreateApiKeyRequest): Promise<metadataV1.CreateApiKeyResponse> => {
      const created = orThrow(await store.apiKeys.create({ tenantId: requireTenant(req.tenantId), description: req.description, superUser: req.superUser }));
      return { apiKey: apiKeyToProto(created.info), secret: created.secret };
    }),
    listApiKeys: unary(async (req: metadataV1.ListApiKeysRequest): Promise<metadataV1.ListApiKeysResponse> => {
      const keys = await store.apiKeys.list(requireTenant(req.tenantId));
      return { apiKeys: keys.map(apiKeyToProto), page: { nextPageToken: '' } };
    }),
    revokeApiKey: unary(async (req: metadataV1.RevokeApiKeyRequest): Promise<metadataV1.RevokeApiKeyResponse> => {
      if (!req.keyId) throw new BadRequest('key_id is required');
      // With tenant_id set, another tenant's key is indistinguishable from a missing one.
      const scope = req.tenantId?.value ? requireTenant(req.tenantId) : undefined;
      const revoked = orThrow(await store.apiKeys.revoke({ keyId: apiKeyId(req.keyId), tenantId: scope }));
      return { apiKey: { ...apiKeyToProto(revoked), state: metadataV1.ApiKeyState.REVOKED, revokeTimeMs: BigInt(Date.now()) } };
    }),
    verifyPlainCredential: unary(async (req: metadataV1.VerifyPlainCredentialRequest): Promise<metadataV1.VerifyPlainCredentialResponse> => {
      const result = await store.apiKeys.verifyPlain({ keyId: req.username, secret: req.password });
      return result.ok
        ? { authenticated: true, tenantId: { value: result.value.tenantId }, keyId: result.value.keyId }
        : { authenticated: false, keyId: '' };
    }),
    getScramCredential: unary(async (req: metadataV1.GetScramCredentialRequest): Promise<metadataV1.GetScramCredentialResponse> => {
      const mechanism =
        req.mechanism === metadataV1.ScramMechanism.SCRAM_SHA_256 ? 'SCRAM-SHA-256' : req.mechanism === metadataV1.ScramMechanism.SCRAM_SHA_512 ? 'SCRAM-SHA-512' : undefined;
      if (!mechanism) throw new BadRequest('mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512');
      const result = await store.apiKeys.scramCredential({ keyId: req.username, mechanism });
      if (!result.ok) {
        return { found: false, keyId: '', mechanism: req.mechanism, salt: Buffer.alloc(0), iterations: 0, storedKey: Buffer.alloc(0), serverKey: Buffer.alloc(0) };
      }
      const c = result.value.credential;
      return {
        found: true,
        tenantId: { value: result.value.tenantId },
        keyId: result.value.keyId,
        mechanism: req.mechanism,
        salt: c.salt,
        iterations: c.iterations,
        storedKey: c.storedKey,
        serverKey: c.serverKey,
      };
    }),
  };
}
