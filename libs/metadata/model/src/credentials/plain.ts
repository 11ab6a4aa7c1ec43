// PLAIN secrets are stored only as a salted scrypt hash (RFC 7914): a stolen etcd snapshot does
// not reveal API secrets, and verification compares in constant time.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

export interface PlainHash {
  readonly algorithm: 'scrypt';
  readonly salt: Buffer;
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
  readonly hash: Buffer;
}

const DEFAULTS = { cost: 16384, blockSize: 8, parallelization: 1 } as const;
const KEY_LENGTH = 32;

function scryptAsync(secret: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(secret, salt, KEY_LENGTH, options, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPlainSecret(secret: string): Promise<PlainHash> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(secret, salt, { N: DEFAULTS.cost, r: DEFAULTS.blockSize, p: DEFAULTS.parallelization });
  return { algorithm: 'scrypt', salt, ...DEFAULTS, hash };
}

export async function verifyPlainSecret(stored: PlainHash, secret: string): Promise<boolean> {
  const candidate = await scryptAsync(secret, stored.salt, {
    N: stored.cost,
    r: stored.blockSize,
    p: stored.parallelization,
  });
  return candidate.length === stored.hash.length && timingSafeEqual(candidate, stored.hash);
}

/** A new API secret: 32 random bytes, URL-safe so clients can paste it into JAAS configs. */
export function generateApiSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** API key ids are public (they are the SASL user name); upper-case base32-ish, 16 chars. */
export function generateApiKeyId(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  return Array.from(randomBytes(16), (b) => alphabet[b % 32]).join('');
}
