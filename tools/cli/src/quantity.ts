// Quota values on the command line: plain integers, or byte sizes with a binary (KiB, MiB, GiB,
// TiB) or decimal (KB, MB, GB, TB) suffix, as Kubernetes resource quantities allow.
import { UsageError } from './errors';

const UNITS: Readonly<Record<string, number>> = {
  '': 1,
  k: 1e3,
  kb: 1e3,
  m: 1e6,
  mb: 1e6,
  g: 1e9,
  gb: 1e9,
  t: 1e12,
  tb: 1e12,
  ki: 2 ** 10,
  kib: 2 ** 10,
  mi: 2 ** 20,
  mib: 2 ** 20,
  gi: 2 ** 30,
  gib: 2 ** 30,
  ti: 2 ** 40,
  tib: 2 ** 40,
};

/** A non-negative safe integer, e.g. "0", "1500", "10MiB", "1.5GB". */
export function parseQuantity(flag: string, text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-zA-Z]*)$/.exec(text.trim());
  const unit = match ? UNITS[(match[2] ?? '').toLowerCase()] : undefined;
  if (!match || unit === undefined) throw new UsageError(`--${flag}: expected a non-negative integer or a size like 10MiB, got ${JSON.stringify(text)}`);
  const value = Number(match[1]) * unit;
  if (!Number.isSafeInteger(value)) throw new UsageError(`--${flag}: ${JSON.stringify(text)} is not a whole number in range`);
  return value;
}

/** "key=value" pairs (repeatable --label). */
export function parseLabels(values: readonly string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const pair of values) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new UsageError(`--label: expected key=value, got ${JSON.stringify(pair)}`);
    labels[pair.slice(0, eq)] = pair.slice(eq + 1);
  }
  return labels;
}
