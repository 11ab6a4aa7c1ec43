// Quotas between the wire (TenantQuotas), the command line (kebab-case flags) and the screen.
import type { metadataV1 } from '@stratus/contracts';
import type { OptionValue } from '../args';
import { UsageError } from '../errors';
import { bytes, table } from '../format';
import { parseQuantity } from '../quantity';
import { QUOTA_FLAGS, QUOTA_FLAG_NAMES, type QuotaFlag } from '../spec';

type Quotas = metadataV1.TenantQuotas;
type Field = (typeof QUOTA_FLAGS)[QuotaFlag]['field'];
const INT64_FIELDS: ReadonlySet<Field> = new Set(['produceBytesPerSecond', 'fetchBytesPerSecond', 'requestsPerSecond', 'maxStorageBytes']);

function toWire(field: Field, value: number): bigint | number {
  return INT64_FIELDS.has(field) ? BigInt(value) : value;
}

/** Flags given on the command line as TenantQuotas (only the present ones). */
export function quotasFromFlags(options: Readonly<Record<string, OptionValue>>): Quotas {
  const out: Record<string, bigint | number> = {};
  for (const flag of QUOTA_FLAG_NAMES) {
    const raw = options[flag];
    if (typeof raw === 'string') out[QUOTA_FLAGS[flag].field] = toWire(QUOTA_FLAGS[flag].field, parseQuantity(flag, raw));
  }
  return out as Quotas;
}

/**
 * quotas set: start from what is configured, apply the given flags, drop the --unset ones. The
 * service replaces the whole set, so the CLI sends the merge with the revision it read.
 */
export function mergeQuotaChanges(configured: Quotas, options: Readonly<Record<string, OptionValue>>): Quotas {
  const unset = (options['unset'] as string[] | undefined) ?? [];
  for (const name of unset) {
    if (!(QUOTA_FLAG_NAMES as string[]).includes(name)) throw new UsageError(`--unset: unknown quota ${JSON.stringify(name)} (one of ${QUOTA_FLAG_NAMES.join(', ')})`);
    if (typeof options[name] === 'string') throw new UsageError(`--${name} is both set and unset`);
  }
  const changes = quotasFromFlags(options);
  if (unset.length === 0 && Object.keys(changes).length === 0) throw new UsageError(`nothing to change: give at least one of --${QUOTA_FLAG_NAMES.join(', --')} or --unset`);
  const merged: Record<string, unknown> = { ...configured, ...changes };
  for (const name of unset) delete merged[QUOTA_FLAGS[name as QuotaFlag].field];
  return merged as Quotas;
}

/** JSON shape: flag name → number (absent = default). */
export function quotasToJson(q: Quotas | undefined, options: { limitsOnly?: boolean } = {}): Record<string, number> {
  const out: Record<string, number> = {};
  for (const flag of QUOTA_FLAG_NAMES) {
    if (options.limitsOnly && !QUOTA_FLAGS[flag].limit) continue;
    const v = q?.[QUOTA_FLAGS[flag].field];
    if (v !== undefined) out[flag] = Number(v);
  }
  return out;
}

function show(flag: QuotaFlag, v: bigint | number | undefined): string {
  if (v === undefined) return 'default';
  return QUOTA_FLAGS[flag].bytes && Number(v) > 0 ? `${bytes(Number(v))}/${flag.endsWith('per-second') ? 's' : ''}`.replace(/\/$/, '') : String(v);
}

/** A QUOTA / CONFIGURED / EFFECTIVE table. */
export function quotaTable(configured: Quotas | undefined, effective: Quotas | undefined, options: { limitsOnly?: boolean } = {}): string {
  const rows = QUOTA_FLAG_NAMES.filter((f) => !options.limitsOnly || QUOTA_FLAGS[f].limit).map((flag) => {
    const field = QUOTA_FLAGS[flag].field;
    return [flag, show(flag, configured?.[field]), effective?.[field] === undefined ? '-' : show(flag, effective[field])];
  });
  return table(['quota', 'configured', 'effective'], rows);
}
