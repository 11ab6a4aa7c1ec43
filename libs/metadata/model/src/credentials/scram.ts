// SCRAM credentials (RFC 5802, RFC 7677; Kafka KIP-84). The server stores only
//   salt, iterations, StoredKey = H(ClientKey), ServerKey = HMAC(SaltedPassword, "Server Key")
// where SaltedPassword = PBKDF2(HMAC-H, password, salt, i) and ClientKey = HMAC(SaltedPassword,
// "Client Key"). Neither the password nor SaltedPassword can be recovered from what is stored, yet
// the server can check a client proof and prove itself back.
import { createHash, createHmac, pbkdf2, randomBytes, timingSafeEqual } from 'node:crypto';
import { promisify } from 'node:util';

const pbkdf2Async = promisify(pbkdf2);

export type ScramMechanism = 'SCRAM-SHA-256' | 'SCRAM-SHA-512';
export const SCRAM_MECHANISMS: readonly ScramMechanism[] = ['SCRAM-SHA-256', 'SCRAM-SHA-512'];

/** Kafka's minimum (ScramMechanism.minIterations) and RFC 7677's recommendation. */
export const MIN_SCRAM_ITERATIONS = 4096;
export const MAX_SCRAM_ITERATIONS = 16384;

export interface ScramCredential {
  readonly mechanism: ScramMechanism;
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function scramHash(mechanism: ScramMechanism): { name: 'sha256' | 'sha512'; length: number } {
  return mechanism === 'SCRAM-SHA-256' ? { name: 'sha256', length: 32 } : { name: 'sha512', length: 64 };
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: string | Buffer): Buffer {
  return createHmac(scramHash(mechanism).name, key).update(data).digest();
}

export function h(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(scramHash(mechanism).name).update(data).digest();
}

export async function saltedPassword(
  mechanism: ScramMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): Promise<Buffer> {
  const { name, length } = scramHash(mechanism);
  // RFC 5802 requires the password to be SASLprep-normalised; we generate ASCII secrets, and NFKC
  // covers the normalisation part for user-chosen ones.
  return pbkdf2Async(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, length, name);
}

export interface DeriveScramOptions {
  readonly mechanism: ScramMechanism;
  readonly password: string;
  readonly iterations?: number;
  readonly salt?: Buffer;
}

export async function deriveScramCredential(options: DeriveScramOptions): Promise<ScramCredential> {
  const iterations = options.iterations ?? MIN_SCRAM_ITERATIONS;
  if (!Number.isInteger(iterations) || iterations < MIN_SCRAM_ITERATIONS || iterations > MAX_SCRAM_ITERATIONS) {
    throw new RangeError(`SCRAM iterations must be in [${MIN_SCRAM_ITERATIONS}, ${MAX_SCRAM_ITERATIONS}]`);
  }
  const salt = options.salt ?? randomBytes(24);
  const salted = await saltedPassword(options.mechanism, options.password, salt, iterations);
  const clientKey = hmac(options.mechanism, salted, 'Client Key');
  return {
    mechanism: options.mechanism,
    salt,
    iterations,
    storedKey: h(options.mechanism, clientKey),
    serverKey: hmac(options.mechanism, salted, 'Server Key'),
  };
}

export function xor(a: Buffer, b: Buffer): Buffer {
  if (a.length !== b.length) throw new RangeError('xor of buffers with different lengths');
  const out = Buffer.alloc(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
