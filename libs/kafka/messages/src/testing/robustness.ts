// Shared checks for malformed frames (test support): a decoder may only succeed or throw
// ProtocolDecodeError; when it succeeds, what it returns must encode and decode back to itself.
import { ProtocolDecodeError } from '@stratus/kafka-protocol';
import type { MessageCodec } from '../api-types';

export type Outcome = { ok: true; value: unknown } | { ok: false; error: ProtocolDecodeError };

/** Decodes `frame`; any exception other than ProtocolDecodeError propagates (that is a bug). */
export function decodeOutcome(codec: MessageCodec<unknown>, frame: Buffer, version: number): Outcome {
  try {
    return { ok: true, value: codec.decode(frame, version) };
  } catch (error: unknown) {
    if (error instanceof ProtocolDecodeError) return { ok: false, error };
    throw new Error(`${codec.name} v${version} threw a non-protocol error on ${frame.toString('hex')}: ${String(error)}`);
  }
}

/** Whatever a decoder accepted must survive a re-encode (a broker echoes decoded data). */
export function checkAccepted(codec: MessageCodec<unknown>, outcome: Outcome, version: number): void {
  if (!outcome.ok) return;
  const again = codec.encode(outcome.value, version);
  const back = codec.decode(again, version);
  if (!deepEqual(back, outcome.value)) throw new Error(`${codec.name} v${version}: re-encoding an accepted frame changed it`);
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (Buffer.isBuffer(a) && Buffer.isBuffer(b)) return a.equals(b);
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Deterministic pseudo-random generator (xorshift32) so fuzz failures can be replayed by seed. */
export function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x100000000;
  };
}

/** Copy of `frame` with 1–4 bytes overwritten by random values. */
export function mutate(frame: Buffer, random: () => number): Buffer {
  const out = Buffer.from(frame);
  if (out.length === 0) return out;
  const n = 1 + Math.floor(random() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(random() * out.length);
    const r = random();
    // Favour values that stress lengths and varints: 0xff, 0x7f, 0x80, 0x00, else random.
    out[at] = r < 0.2 ? 0xff : r < 0.3 ? 0x7f : r < 0.4 ? 0x80 : r < 0.5 ? 0 : Math.floor(random() * 256);
  }
  return out;
}
