// Human output (aligned tables, key/value blocks) and JSON output for scripts. JSON has no
// bigint: 64-bit values are emitted as numbers when they are exact, as decimal strings otherwise.

export type Cell = string | number | bigint | boolean | null | undefined;

function text(cell: Cell): string {
  if (cell === null || cell === undefined || cell === '') return '-';
  return String(cell);
}

/** Columns padded to their widest cell; an empty table says so instead of printing only headers. */
export function table(headers: readonly string[], rows: readonly (readonly Cell[])[], options: { empty?: string } = {}): string {
  if (rows.length === 0) return `${options.empty ?? 'No resources found.'}\n`;
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(text))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ').trimEnd()).join('\n') + '\n';
}

/** "Key:  value" lines with the values aligned. */
export function keyValues(pairs: readonly (readonly [string, Cell])[]): string {
  const width = Math.max(0, ...pairs.map(([k]) => k.length + 1));
  return pairs.map(([k, v]) => `${`${k}:`.padEnd(width)}  ${text(v)}`).join('\n') + '\n';
}

function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return value <= BigInt(Number.MAX_SAFE_INTEGER) && value >= -BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('hex');
  if (Array.isArray(value)) return value.map(plain);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

/** Pretty JSON, one document, newline-terminated. */
export function json(value: unknown): string {
  return JSON.stringify(plain(value), null, 2) + '\n';
}

/** ISO-8601 UTC for epoch milliseconds; '-' for 0 (never). */
export function timestamp(ms: bigint | number): string {
  const n = Number(ms);
  return n > 0 ? new Date(n).toISOString() : '-';
}

/** Bytes as the largest binary unit that keeps a short number (10 MiB, 1.5 GiB). */
export function bytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = n;
  let i = 0;
  while (value >= 1024 && i < units.length - 1) {
    value /= 1024;
    i++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[i]}`;
}
