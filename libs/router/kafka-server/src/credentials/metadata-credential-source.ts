// The production CredentialSource: asks the metadata service (stratus.metadata.v1.MetadataService)
// for SCRAM credentials and PLAIN checks. Routers never hold password hashes for PLAIN: the check
// runs on the metadata side. Answers are not cached here; put a CachingCredentialSource in front.
import { status, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { tenantId, type Principal, type ScramMechanism } from '../types';
import { CredentialSourceUnavailableError } from './credential-source-unavailable';
import type { CredentialSource, ScramLookup } from './credential-source';
import { MAX_SCRAM_ITERATIONS, MIN_SCRAM_ITERATIONS } from '@stratus/kafka-scram';

/** The two calls used, so tests and callers can pass any client that has them. */
export type MetadataCredentialClient = Pick<metadataV1.MetadataServiceClient, 'getScramCredential' | 'verifyPlainCredential'>;

export interface MetadataCredentialSourceOptions {
  readonly client: MetadataCredentialClient;
  /** Deadline of each lookup; it is spent while the client waits in SASL authentication. */
  readonly timeoutMs?: number;
}

export const DEFAULT_CREDENTIAL_LOOKUP_TIMEOUT_MS = 3_000;

/**
 * Statuses that mean "this username/secret is not valid" rather than "could not check": the
 * metadata service answers unknown keys and wrong secrets with found/authenticated = false, but a
 * malformed username (INVALID_ARGUMENT) or a key it refuses outright is the client's fault too.
 */
const AUTHENTICATION_STATUSES = new Set<number>([status.INVALID_ARGUMENT, status.NOT_FOUND, status.UNAUTHENTICATED, status.PERMISSION_DENIED]);

const MECHANISM_TO_PROTO: Readonly<Record<ScramMechanism, metadataV1.ScramMechanism>> = {
  'SCRAM-SHA-256': metadataV1.ScramMechanism.SCRAM_SHA_256,
  'SCRAM-SHA-512': metadataV1.ScramMechanism.SCRAM_SHA_512,
};

/** Key length of HMAC-SHA-256 / HMAC-SHA-512 outputs (RFC 5802 StoredKey and ServerKey). */
const KEY_BYTES: Readonly<Record<ScramMechanism, number>> = { 'SCRAM-SHA-256': 32, 'SCRAM-SHA-512': 64 };

export class MetadataCredentialSource implements CredentialSource {
  private readonly client: MetadataCredentialClient;
  private readonly timeoutMs: number;

  constructor(options: MetadataCredentialSourceOptions) {
    this.client = options.client;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_CREDENTIAL_LOOKUP_TIMEOUT_MS;
  }

  async scramCredential(username: string, mechanism: ScramMechanism): Promise<ScramLookup | undefined> {
    const response = await this.call('GetScramCredential', this.client.getScramCredential, { username, mechanism: MECHANISM_TO_PROTO[mechanism] });
    if (!response?.found) return undefined;
    const tenant = response.tenantId?.value ?? '';
    const keyBytes = KEY_BYTES[mechanism];
    // A credential the SCRAM exchange cannot use is a fault of the metadata side, not of the client.
    if (
      tenant === '' ||
      response.mechanism !== MECHANISM_TO_PROTO[mechanism] ||
      response.salt.length === 0 ||
      response.iterations < MIN_SCRAM_ITERATIONS ||
      response.iterations > MAX_SCRAM_ITERATIONS ||
      response.storedKey.length !== keyBytes ||
      response.serverKey.length !== keyBytes
    ) {
      throw new CredentialSourceUnavailableError('metadata service returned an unusable SCRAM credential');
    }
    return {
      credential: {
        mechanism,
        salt: Buffer.from(response.salt),
        iterations: response.iterations,
        storedKey: Buffer.from(response.storedKey),
        serverKey: Buffer.from(response.serverKey),
      },
      principal: { username: response.keyId || username, tenantId: tenantId(tenant) },
    };
  }

  async verifyPlain(username: string, password: string): Promise<Principal | undefined> {
    const response = await this.call('VerifyPlainCredential', this.client.verifyPlainCredential, { username, password });
    if (!response?.authenticated) return undefined;
    const tenant = response.tenantId?.value ?? '';
    if (tenant === '') throw new CredentialSourceUnavailableError('metadata service authenticated a key without a tenant');
    return { username: response.keyId || username, tenantId: tenantId(tenant) };
  }

  /** One unary call with a deadline; undefined for an authentication-type status. */
  private async call<Req, Res>(method: string, rpc: UnaryMethod<Req, Res>, request: Req): Promise<Res | undefined> {
    try {
      return await unaryCall(this.client, rpc, request, { timeoutMs: this.timeoutMs });
    } catch (error) {
      const code = (error as Partial<ServiceError>).code;
      if (code === undefined) throw new CredentialSourceUnavailableError(`${method} could not be started`, { cause: error });
      if (AUTHENTICATION_STATUSES.has(code)) return undefined;
      // No request details (never the password) go into the message; the gRPC status does.
      throw new CredentialSourceUnavailableError(`${method} failed: ${status[code] ?? code}`, { cause: error });
    }
  }

}
