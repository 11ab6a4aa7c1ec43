// API keys: the key id is the SASL user name; the secret is generated here, returned once, and
// only its scrypt hash (PLAIN) and SCRAM credentials (SCRAM-SHA-256/512) are ever stored.
import {
  apiKeyId,
  deriveScramCredential,
  fail,
  generateApiKeyId,
  generateApiSecret,
  hashPlainSecret,
  ok,
  verifyPlainSecret,
  type ApiKeyId,
  type Result,
  type ScramCredential,
  type ScramMechanism,
  type TenantId,
} from '@stratus/metadata-model';
import { encode } from './codec';
import { isKeySegment, readJson, versioned, type StoreContext } from './context';
import type { ApiKeyInfo, StoredApiKey, Tenant } from './types';

export interface CreatedApiKey {
  readonly info: ApiKeyInfo;
  /** Shown to the caller exactly once; not recoverable afterwards. */
  readonly secret: string;
}

export interface Principal {
  readonly tenantId: TenantId;
  readonly keyId: ApiKeyId;
}

export interface ApiKeyStoreOptions {
  /** PBKDF2 iterations for new SCRAM credentials (>= 4096). */
  readonly scramIterations?: number;
}

const AUTH_FAILED = 'Authentication failed: Invalid username or password';

function info(stored: StoredApiKey): ApiKeyInfo {
  return { id: stored.id, tenantId: stored.tenantId, description: stored.description, createdAtMs: stored.createdAtMs, superUser: stored.superUser === true };
}

export class ApiKeyStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly options: ApiKeyStoreOptions = {},
  ) {}

  /** `superUser`: the key bypasses its tenant's ACLs (Kafka's super.users), never another tenant's. */
  async create(request: { tenantId: TenantId; description?: string; superUser?: boolean }): Promise<Result<CreatedApiKey>> {
    const keys = this.ctx.keys;
    if (!isKeySegment(request.tenantId)) return fail('RESOURCE_NOT_FOUND', `Tenant ${request.tenantId} not found`);
    const tenant = await readJson<Tenant>(this.ctx.kv, keys.tenant(request.tenantId));
    if (!tenant) return fail('RESOURCE_NOT_FOUND', `Tenant ${request.tenantId} not found`);
    const secret = generateApiSecret();
    const iterations = this.options.scramIterations;
    const [plain, sha256, sha512] = await Promise.all([
      hashPlainSecret(secret),
      deriveScramCredential({ mechanism: 'SCRAM-SHA-256', password: secret, iterations }),
      deriveScramCredential({ mechanism: 'SCRAM-SHA-512', password: secret, iterations }),
    ]);
    const stored: StoredApiKey = {
      id: apiKeyId(generateApiKeyId()),
      tenantId: request.tenantId,
      description: request.description ?? '',
      createdAtMs: this.ctx.now(),
      superUser: request.superUser === true,
      plain,
      scram: { 'SCRAM-SHA-256': sha256, 'SCRAM-SHA-512': sha512 },
    };
    // The tenant must still exist (compare its revision): a key must not outlive a deleted tenant.
    const result = await this.ctx.kv.txn(
      [
        { key: keys.tenant(request.tenantId), target: 'modRevision', op: '==', value: tenant.modRevision },
        { key: keys.apiKey(stored.id), target: 'createRevision', op: '==', value: 0n },
      ],
      [{ type: 'put', key: keys.apiKey(stored.id), value: encode(stored) }],
    );
    if (!result.succeeded) return fail('RESOURCE_NOT_FOUND', `Tenant ${request.tenantId} not found`);
    return ok({ info: info(stored), secret });
  }

  /**
   * Revoking another tenant's key looks exactly like revoking a key that does not exist. Without
   * a tenant id (operator calls) any key can be revoked.
   */
  async revoke(request: { tenantId?: TenantId; keyId: ApiKeyId }): Promise<Result<ApiKeyInfo>> {
    const found = await this.load(request.keyId);
    if (!found || (request.tenantId !== undefined && found.value.tenantId !== request.tenantId)) {
      return fail('RESOURCE_NOT_FOUND', `API key ${request.keyId} not found`);
    }
    const result = await this.ctx.kv.txn(
      [{ key: this.ctx.keys.apiKey(request.keyId), target: 'modRevision', op: '==', value: found.modRevision }],
      [{ type: 'delete', key: this.ctx.keys.apiKey(request.keyId) }],
    );
    if (!result.succeeded) return fail('RESOURCE_NOT_FOUND', `API key ${request.keyId} not found`);
    return ok(info(found.value));
  }

  async list(tenant: TenantId): Promise<ApiKeyInfo[]> {
    const { entries } = await this.ctx.kv.range(this.ctx.keys.apiKeys());
    return entries.map((e) => versioned<StoredApiKey>(e).value).filter((k) => k.tenantId === tenant).map(info);
  }

  /** SASL/PLAIN: unknown key, wrong secret and deleted or suspended tenant all give the same answer. */
  async verifyPlain(request: { keyId: string; secret: string }): Promise<Result<Principal>> {
    const found = await this.load(request.keyId);
    if (!found) return fail('SASL_AUTHENTICATION_FAILED', AUTH_FAILED);
    const valid = await verifyPlainSecret(found.value.plain, request.secret);
    if (!valid || !(await this.tenantActive(found.value.tenantId))) return fail('SASL_AUTHENTICATION_FAILED', AUTH_FAILED);
    return ok({ tenantId: found.value.tenantId, keyId: found.value.id });
  }

  /** SASL/SCRAM: the credential the router's ScramServerSession checks a client proof against. */
  async scramCredential(request: { keyId: string; mechanism: ScramMechanism }): Promise<Result<Principal & { credential: ScramCredential }>> {
    const found = await this.load(request.keyId);
    const credential = found?.value.scram[request.mechanism];
    if (!found || !credential || !(await this.tenantActive(found.value.tenantId))) {
      return fail('SASL_AUTHENTICATION_FAILED', AUTH_FAILED);
    }
    return ok({ tenantId: found.value.tenantId, keyId: found.value.id, credential });
  }

  private async load(keyId: string) {
    if (!isKeySegment(keyId)) return undefined;
    return readJson<StoredApiKey>(this.ctx.kv, this.ctx.keys.apiKey(apiKeyId(keyId)));
  }

  /** A deleted or SUSPENDED tenant authenticates nobody (tenants.proto, TENANT_STATE_SUSPENDED). */
  private async tenantActive(id: TenantId): Promise<boolean> {
    const tenant = await readJson<Tenant>(this.ctx.kv, this.ctx.keys.tenant(id));
    return tenant !== undefined && (tenant.value.state ?? 'active') === 'active';
  }
}
