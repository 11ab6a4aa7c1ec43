// Version ranges as Kafka's message specs write them: "3", "0+", "1-4" or "none".

export interface VersionRange {
  readonly min: number;
  /** Inclusive; Infinity for an open range ("3+"). */
  readonly max: number;
}

export const NO_VERSIONS: VersionRange = { min: 1, max: 0 };

export function parseVersions(text: string | undefined, fallback: VersionRange = NO_VERSIONS): VersionRange {
  if (text === undefined) return fallback;
  const t = text.trim();
  if (t === 'none') return NO_VERSIONS;
  let m = /^(\d+)\+$/.exec(t);
  if (m) return { min: Number(m[1]), max: Infinity };
  m = /^(\d+)-(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[2]) };
  m = /^(\d+)$/.exec(t);
  if (m) return { min: Number(m[1]), max: Number(m[1]) };
  throw new Error(`invalid version range ${JSON.stringify(text)}`);
}

export function isEmpty(r: VersionRange): boolean {
  return r.min > r.max;
}

export function intersect(a: VersionRange, b: VersionRange): VersionRange {
  return { min: Math.max(a.min, b.min), max: Math.min(a.max, b.max) };
}

/** Smallest range holding both (a struct reached from several fields). */
export function hull(a: VersionRange, b: VersionRange): VersionRange {
  if (isEmpty(a)) return b;
  if (isEmpty(b)) return a;
  return { min: Math.min(a.min, b.min), max: Math.max(a.max, b.max) };
}

export function contains(outer: VersionRange, inner: VersionRange): boolean {
  return isEmpty(inner) || (outer.min <= inner.min && outer.max >= inner.max);
}

export function formatRange(r: VersionRange): string {
  if (isEmpty(r)) return 'none';
  if (r.max === Infinity) return `${r.min}+`;
  return r.min === r.max ? `${r.min}` : `${r.min}-${r.max}`;
}

/**
 * A TypeScript condition testing `version` against `range`, folded to 'true'/'false' where the
 * versions that can reach this code (`reach`) decide it statically.
 */
export function versionCondition(range: VersionRange, reach: VersionRange, variable = 'version'): string {
  const r = intersect(range, reach);
  if (isEmpty(r)) return 'false';
  const parts: string[] = [];
  if (r.min > reach.min) parts.push(`${variable} >= ${r.min}`);
  if (r.max < reach.max) parts.push(`${variable} <= ${r.max}`);
  return parts.length === 0 ? 'true' : parts.join(' && ');
}
