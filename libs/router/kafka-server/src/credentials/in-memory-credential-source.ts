// A CredentialSource held in memory, for tests and local runs. Passwords are never kept: each user
// gets the same salted forms the metadata service stores (SCRAM credentials per mechanism; PLAIN is
// checked against the SCRAM-SHA-512 credential by re-deriving the stored key).
import { randomBytes } from 'node:crypto';
import type { Principal, ScramMechanism, TenantId } from '../types';
import type { CredentialSource, ScramLookup } from './credential-source';
import { MIN_SCRAM_ITERATIONS, deriveScramCredentialSync, safeEqual, type ScramCredential } from '@stratus/kafka-scram';

export interface InMemoryUser {
  readonly username: string;
  readonly password: string;
  readonly tenantId: TenantId;
  readonly iterations?: number;
  readonly credentialExpiresAtMs?: number;
}

interface StoredUser {
  readonly principal: Principal;
  readonly scram: ReadonlyMap<ScramMechanism, ScramCredential>;
}

export class InMemoryCredentialSource implements CredentialSource {
  private readonly users = new Map<string, StoredUser>();
  /** How many lookups reached this source (lets tests see a cache in front of it working). */
  lookups = 0;

  constructor(users: readonly InMemoryUser[] = []) {
    for (const user of users) this.addUser(user);
  }

  addUser(user: InMemoryUser): void {
    const iterations = user.iterations ?? MIN_SCRAM_ITERATIONS;
    const scram = new Map<ScramMechanism, ScramCredential>();
    for (const mechanism of ['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const) {
      scram.set(mechanism, deriveScramCredentialSync({ mechanism, password: user.password, salt: randomBytes(16), iterations }));
    }
    const principal: Principal =
      user.credentialExpiresAtMs === undefined
        ? { username: user.username, tenantId: user.tenantId }
        : { username: user.username, tenantId: user.tenantId, credentialExpiresAtMs: user.credentialExpiresAtMs };
    this.users.set(user.username, { principal, scram });
  }

  removeUser(username: string): void {
    this.users.delete(username);
  }

  async scramCredential(username: string, mechanism: ScramMechanism): Promise<ScramLookup | undefined> {
    this.lookups++;
    const user = this.users.get(username);
    const credential = user?.scram.get(mechanism);
    return user && credential ? { credential, principal: user.principal } : undefined;
  }

  async verifyPlain(username: string, password: string): Promise<Principal | undefined> {
    this.lookups++;
    const user = this.users.get(username);
    const stored = user?.scram.get('SCRAM-SHA-512');
    if (!user || !stored) return undefined;
    const candidate = deriveScramCredentialSync({ mechanism: stored.mechanism, password, salt: stored.salt, iterations: stored.iterations });
    return safeEqual(candidate.storedKey, stored.storedKey) ? user.principal : undefined;
  }
}
