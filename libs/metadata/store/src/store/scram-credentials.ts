// KIP-554 user SCRAM credentials over API keys. A tenant's "users" are its API keys: describing
// lists each key's mechanisms and iterations (never salts or keys); altering upserts a mechanism
// from the salted password the client computed, or deletes one. A key of another tenant is
// indistinguishable from a missing one (RESOURCE_NOT_FOUND). All changes of one user are one
// compare-and-set on its key record.
import {
  MAX_SCRAM_ITERATIONS,
  MIN_SCRAM_ITERATIONS,
  SCRAM_MECHANISMS,
  apiKeyId,
  fail,
  ok,
  scramCredentialFromSaltedPassword,
  type MetadataError,
  type Result,
  type ScramMechanism,
  type TenantId,
} from '@stratus/metadata-model';
import { encode } from './codec';
import { isKeySegment, readJson, versioned, type StoreContext } from './context';
import type { StoredApiKey } from './types';

export interface ScramCredentialSummary {
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
}

export interface UserScramDescription {
  readonly username: string;
  readonly error?: MetadataError;
  readonly credentials: readonly ScramCredentialSummary[];
}

export interface ScramUpsertion {
  readonly username: string;
  readonly mechanism: ScramMechanism;
  readonly iterations: number;
  readonly salt: Buffer;
  readonly saltedPassword: Buffer;
}

export interface ScramDeletion {
  readonly username: string;
  readonly mechanism: ScramMechanism;
}

const CAS_ATTEMPTS = 5;

function summaries(key: StoredApiKey): ScramCredentialSummary[] {
  return SCRAM_MECHANISMS.flatMap((m) => {
    const c = key.scram[m];
    return c ? [{ mechanism: m, iterations: c.iterations }] : [];
  });
}

const notFound = (username: string): Result<never> => fail('RESOURCE_NOT_FOUND', `Attempt to describe or alter a user credential that does not exist: ${username}`);

function errorOf(result: Result<never>): MetadataError {
  if (result.ok) throw new Error('not a failure');
  return result.error;
}

export class ScramCredentialStore {
  constructor(private readonly ctx: StoreContext) {}

  /** Every named user (or, with none named, every key of the tenant that has a SCRAM credential). */
  async describe(tenant: TenantId, usernames: readonly string[]): Promise<UserScramDescription[]> {
    if (usernames.length === 0) {
      const { entries } = await this.ctx.kv.range(this.ctx.keys.apiKeys());
      return entries
        .map((e) => versioned<StoredApiKey>(e).value)
        .filter((k) => k.tenantId === tenant)
        .map((k) => ({ username: k.id, credentials: summaries(k) }))
        .filter((d) => d.credentials.length > 0)
        .sort((a, b) => a.username.localeCompare(b.username));
    }
    const out: UserScramDescription[] = [];
    for (const username of usernames) {
      const found = await this.load(tenant, username);
      const credentials = found ? summaries(found.value) : [];
      // Kafka answers RESOURCE_NOT_FOUND for a user without any SCRAM credential too.
      out.push(credentials.length > 0 ? { username, credentials } : { username, credentials: [], error: errorOf(notFound(username)) });
    }
    return out;
  }

  /** Applies one user's deletions and upsertions together; the result is that user's outcome. */
  async alter(tenant: TenantId, username: string, changes: { deletions: readonly ScramDeletion[]; upsertions: readonly ScramUpsertion[] }): Promise<Result<true>> {
    for (const u of changes.upsertions) {
      if (!Number.isInteger(u.iterations) || u.iterations < MIN_SCRAM_ITERATIONS || u.iterations > MAX_SCRAM_ITERATIONS) {
        return fail('UNACCEPTABLE_CREDENTIAL', `Iterations ${u.iterations} must be in [${MIN_SCRAM_ITERATIONS}, ${MAX_SCRAM_ITERATIONS}].`);
      }
      if (u.salt.length === 0) return fail('UNACCEPTABLE_CREDENTIAL', 'The salt must not be empty.');
    }
    const built = new Map<ScramMechanism, ReturnType<typeof scramCredentialFromSaltedPassword>>();
    for (const u of changes.upsertions) {
      try {
        built.set(u.mechanism, scramCredentialFromSaltedPassword(u.mechanism, u.salt, u.iterations, u.saltedPassword));
      } catch {
        return fail('UNACCEPTABLE_CREDENTIAL', `The salted password has the wrong length for ${u.mechanism}.`);
      }
    }
    for (let attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      const found = await this.load(tenant, username);
      if (!found) return notFound(username);
      const scram: Partial<Record<ScramMechanism, unknown>> = { ...found.value.scram };
      for (const d of changes.deletions) {
        if (!scram[d.mechanism]) return fail('RESOURCE_NOT_FOUND', `Attempt to delete a user credential that does not exist: ${username} ${d.mechanism}`);
        delete scram[d.mechanism];
      }
      for (const [mechanism, credential] of built) scram[mechanism] = credential;
      const next = { ...found.value, scram } as StoredApiKey;
      const key = this.ctx.keys.apiKey(found.value.id);
      const result = await this.ctx.kv.txn([{ key, target: 'modRevision', op: '==', value: found.modRevision }], [{ type: 'put', key, value: encode(next) }]);
      if (result.succeeded) return ok(true);
    }
    return fail('UNKNOWN_SERVER_ERROR', 'The API key changed concurrently; retry.');
  }

  private async load(tenant: TenantId, username: string) {
    if (!isKeySegment(username)) return undefined;
    const found = await readJson<StoredApiKey>(this.ctx.kv, this.ctx.keys.apiKey(apiKeyId(username)));
    return found && found.value.tenantId === tenant ? found : undefined;
  }
}
