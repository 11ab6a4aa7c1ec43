import { z } from 'zod';

// Field builders for configuration schemas. Every value may arrive as a string (environment
// variable) or as a typed YAML scalar, so each builder accepts both and converts strictly: a
// partially numeric string such as "12abc" is rejected instead of being truncated the way
// parseInt would, because a silently wrong port or limit is worse than a refusal to start.

const INTEGER_TEXT = /^[+-]?\d+$/;

function toIntegerIfText(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const text = value.trim();
  return INTEGER_TEXT.test(text) ? Number(text) : value;
}

export interface IntegerFieldOptions {
  readonly min?: number;
  readonly max?: number;
  /** What the operator should supply, used in the error message (e.g. "a TCP port"). */
  readonly describe?: string;
}

/** A whole number within [min, max] (inclusive). */
export function integer(options: IntegerFieldOptions = {}) {
  const min = options.min ?? Number.MIN_SAFE_INTEGER;
  const max = options.max ?? Number.MAX_SAFE_INTEGER;
  const range =
    options.min !== undefined && options.max !== undefined
      ? ` between ${min} and ${max}`
      : options.min !== undefined
        ? ` >= ${min}`
        : options.max !== undefined
          ? ` <= ${max}`
          : '';
  const expected = `${options.describe ?? 'an integer'}${range}`;
  const error = `expected ${expected}`;
  return z.preprocess(
    toIntegerIfText,
    z.number({ error }).int({ error }).min(min, { error }).max(max, { error }),
  );
}

/** A TCP port; 0 asks the OS for a free port (tests and local runs). */
export function port() {
  return integer({ min: 0, max: 65535, describe: 'a TCP port number' });
}

/** A duration in milliseconds. */
export function durationMs(options: { min?: number; max?: number } = {}) {
  return integer({ min: options.min ?? 0, max: options.max ?? 24 * 3600 * 1000, describe: 'a duration in milliseconds' });
}

/** A size in bytes. */
export function bytes(options: { min?: number; max?: number } = {}) {
  return integer({ min: options.min ?? 0, max: options.max ?? Number.MAX_SAFE_INTEGER, describe: 'a size in bytes' });
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'on']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'off']);

/** true/false (also 1/0, yes/no, on/off). */
export function boolean() {
  const error = 'expected true or false';
  return z.preprocess((value) => {
    if (typeof value !== 'string') return value;
    const word = value.trim().toLowerCase();
    if (TRUE_WORDS.has(word)) return true;
    if (FALSE_WORDS.has(word)) return false;
    return value;
  }, z.boolean({ error }));
}

/** A non-empty string (surrounding whitespace removed). */
export function text(options: { describe?: string } = {}) {
  const error = `expected ${options.describe ?? 'a non-empty string'}`;
  return z.string({ error }).trim().min(1, { error });
}

/** One of a fixed set of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  const error = `expected one of ${values.join(', ')}`;
  return z.enum(values, { error });
}

/**
 * A non-empty list: a comma-separated string in the environment, or a YAML sequence.
 * Each element must satisfy `item`.
 */
export function list<T extends z.ZodType>(item: T, options: { describe?: string } = {}) {
  const error = `expected ${options.describe ?? 'a non-empty comma-separated list'}`;
  return z.preprocess(
    (value) =>
      typeof value === 'string'
        ? value
            .split(',')
            .map((part) => part.trim())
            .filter((part) => part.length > 0)
        : value,
    z.array(item, { error }).min(1, { error }),
  );
}

/** An http(s) URL such as an etcd client endpoint. */
export function httpUrl() {
  const error = 'expected an http:// or https:// URL';
  return z.string({ error }).trim().refine(
    (value) => {
      try {
        const url = new URL(value);
        return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
      } catch {
        return false;
      }
    },
    { error },
  );
}

/** host:port of a peer gRPC endpoint. */
export function hostPort() {
  const error = 'expected host:port (port 1..65535)';
  return z.string({ error }).trim().refine(
    (value) => {
      const colon = value.lastIndexOf(':');
      if (colon <= 0) return false;
      const portText = value.slice(colon + 1);
      if (!/^\d+$/.test(portText)) return false;
      const n = Number(portText);
      return n >= 1 && n <= 65535;
    },
    { error },
  );
}
