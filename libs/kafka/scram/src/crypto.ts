// SCRAM credentials and primitives (RFC 5802 §3, RFC 7677; Kafka KIP-84). The server stores only
//   salt, iterations, StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key")
// where SaltedPassword = PBKDF2(HMAC-H, password, salt, i) and ClientKey = HMAC(SaltedPassword,
// "Client Key"). Neither the password nor SaltedPassword can be recovered from what is stored, yet
// the server can check a client proof and prove itself back. Shared by the metadata service (which
// derives and stores credentials) and the router (which runs the exchange).
import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Kafka's minimum (ScramMechanism.minIterations) and RFC 7677's recommendation. */
export const MIN_SCRAM_ITERATIONS = 4096;
/** Kafka's maximum: more only makes every authentication slower for no stored-key benefit. */
export const MAX_SCRAM_ITERATIONS = 16384;

export interface ScramCredential {
  readonly mechanism: ScramMechanism;
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function scramHash(mechanism: ScramMechanism): { readonly name: 'sha256' | 'sha512'; readonly length: number } {
  return mechanism === 'SCRAM-SHA-256' ? { name: 'sha256', length: 32 } : { name: 'sha512', length: 64 };
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(scramHash(mechanism).name, key).update(data).digest();
}

/** H() of RFC 5802. */
export function digest(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(scramHash(mechanism).name).update(data).digest();
}

/** RFC 5802 wants a SASLprep-normalised password; NFKC is its normalisation step. */
function passwordBytes(password: string): Buffer {
  return Buffer.from(password.normalize('NFKC'), 'utf8');
}

/** Hi() of RFC 5802: PBKDF2 with HMAC as the PRF and one hash length of output. */
export async function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Promise<Buffer> {
  const { name, length } = scramHash(mechanism);
  return pbkdf2Async(passwordBytes(password), salt, iterations, length, name);
}

export interface DeriveScramOptions {
  readonly mechanism: ScramMechanism;
  readonly password: string;
  /** Default MIN_SCRAM_ITERATIONS; must lie in [MIN_SCRAM_ITERATIONS, MAX_SCRAM_ITERATIONS]. */
  readonly iterations?: number;
  /** Default 24 random bytes. */
  readonly salt?: Buffer;
}

function checkedIterations(options: DeriveScramOptions): number {
  const iterations = options.iterations ?? MIN_SCRAM_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_SCRAM_ITERATIONS || iterations > MAX_SCRAM_ITERATIONS) {
    throw new RangeError(`SCRAM iterations must be in [${MIN_SCRAM_ITERATIONS}, ${MAX_SCRAM_ITERATIONS}]`);
  }
  return iterations;
}

function credentialFrom(mechanism: ScramMechanism, salt: Buffer, iterations: number, salted: Buffer): ScramCredential {
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return { mechanism, salt, iterations, storedKey: digest(mechanism, clientKey), serverKey: hmac(mechanism, salted, 'Server Key') };
}

/**
 * The stored form from a salted password a client computed itself (KIP-554: AlterUserScramCredentials
 * carries Hi(password, salt, i), never the password). The caller checks the iteration range.
 */
export function scramCredentialFromSaltedPassword(mechanism: ScramMechanism, salt: Buffer, iterations: number, salted: Buffer): ScramCredential {
  if (salted.length !== scramHash(mechanism).length) throw new RangeError(`a ${mechanism} salted password is ${scramHash(mechanism).length} bytes`);
  return credentialFrom(mechanism, salt, iterations, salted);
}

/** The stored form of a password, computed off the event loop (PBKDF2 is deliberately slow). */
export async function deriveScramCredential(options: DeriveScramOptions): Promise<ScramCredential> {
  const iterations = checkedIterations(options);
  const salt = options.salt ?? randomBytes(24);
  return credentialFrom(options.mechanism, salt, iterations, await saltedPassword(options.mechanism, options.password, salt, iterations));
}

/** The same, blocking: for tests and in-memory credential sources only. */
export function deriveScramCredentialSync(options: DeriveScramOptions): ScramCredential {
  const iterations = checkedIterations(options);
  const salt = options.salt ?? randomBytes(24);
  const { name, length } = scramHash(options.mechanism);
  return credentialFrom(options.mechanism, salt, iterations, pbkdf2Sync(passwordBytes(options.password), salt, iterations, length, name));
}

export function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new RangeError('xor of buffers with different lengths');
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** Constant-time comparison; unequal lengths are simply unequal (the length is not secret). */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
