// SCRAM primitives of RFC 5802 §3 with the hash of RFC 7677 (SHA-256) or SHA-512 (as Kafka, KIP-84).
import { createHash, createHmac, pbkdf2Sync, timingSafeEqual } from 'node:crypto';
import type { ScramMechanism } from '../types';

/** Kafka refuses SCRAM credentials with fewer iterations than this (KIP-84). */
export const MIN_SCRAM_ITERATIONS = 4096;
export const MAX_SCRAM_ITERATIONS = 16384;

export interface ScramCredential {
  readonly mechanism: ScramMechanism;
  readonly salt: Buffer;
  readonly iterations: number;
  readonly storedKey: Buffer;
  readonly serverKey: Buffer;
}

export function scramHash(mechanism: ScramMechanism): 'sha256' | 'sha512' {
  return mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
}

export function hmac(mechanism: ScramMechanism, key: Buffer, data: Buffer | string): Buffer {
  return createHmac(scramHash(mechanism), key).update(data).digest();
}

export function digest(mechanism: ScramMechanism, data: Buffer): Buffer {
  return createHash(scramHash(mechanism)).update(data).digest();
}

/** Hi() of RFC 5802 is PBKDF2 with HMAC as the PRF and an output of one hash length. */
export function saltedPassword(mechanism: ScramMechanism, password: string, salt: Buffer, iterations: number): Buffer {
  const hash = scramHash(mechanism);
  return pbkdf2Sync(Buffer.from(password.normalize('NFKC'), 'utf8'), salt, iterations, hash === 'sha256' ? 32 : 64, hash);
}

/** The stored form of a password: the server never needs the password itself (RFC 5802 §3). */
export function deriveScramCredential(options: {
  mechanism: ScramMechanism;
  password: string;
  salt: Buffer;
  iterations: number;
}): ScramCredential {
  const { mechanism, salt, iterations } = options;
  const salted = saltedPassword(mechanism, options.password, salt, iterations);
  const clientKey = hmac(mechanism, salted, 'Client Key');
  return {
    mechanism,
    salt,
    iterations,
    storedKey: digest(mechanism, clientKey),
    serverKey: hmac(mechanism, salted, 'Server Key'),
  };
}

export function xor(a: Buffer, b: Buffer): Buffer {
  const out = Buffer.allocUnsafe(a.length);
  for (let i = 0; i < a.length; i++) out[i] = (a[i] as number) ^ (b[i] as number);
  return out;
}

/** Constant-time comparison; unequal lengths are simply unequal (the length is not secret). */
export function safeEqual(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}
