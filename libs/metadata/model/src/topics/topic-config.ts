// Validation and editing of topic configs with Kafka semantics: unknown names and bad values are
// INVALID_CONFIG (CreateTopics, AlterConfigs, IncrementalAlterConfigs all report it that way).
import { fail, ok, type Result } from '../errors/result';
import { TOPIC_CONFIG_DEFS, typeBounds, type ConfigDef } from './config-defs';

/** Explicitly set topic configs (name → string value); defaults are not stored. */
export type TopicConfigs = Readonly<Record<string, string>>;

export type ConfigSource = 'TOPIC_CONFIG' | 'DEFAULT_CONFIG';

export interface ConfigEntry {
  readonly name: string;
  readonly value: string;
  readonly source: ConfigSource;
  readonly isDefault: boolean;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
}

/** KIP-339 operation types (IncrementalAlterConfigs). */
export type AlterOp = 'SET' | 'DELETE' | 'APPEND' | 'SUBTRACT';
export interface AlterConfigOp {
  readonly name: string;
  readonly op: AlterOp;
  readonly value?: string | null;
}

const DECIMAL = /^[+-]?\d+$/;

function validateValue(def: ConfigDef, raw: string): Result<string> {
  const value = raw.trim();
  const bad = (why: string) => fail('INVALID_CONFIG', `Invalid value ${raw} for configuration ${def.name}: ${why}`);
  switch (def.type) {
    case 'int':
    case 'long': {
      if (!DECIMAL.test(value)) return bad(`Not a number of type ${def.type.toUpperCase()}`);
      const n = BigInt(value);
      const { min, max } = typeBounds(def);
      if (n < min) return bad(`Value must be at least ${min}`);
      if (n > max) return bad(`Value must be no more than ${max}`);
      return ok(n.toString());
    }
    case 'enum':
      return def.allowed?.includes(value) ? ok(value) : bad(`String must be one of: ${def.allowed?.join(', ')}`);
    case 'list': {
      const items = value.split(',').map((s) => s.trim());
      if (items.some((i) => i.length === 0)) return bad('Empty list item');
      const unknown = items.find((i) => !def.allowed?.includes(i));
      if (unknown !== undefined) return bad(`Invalid value ${unknown}; must be in [${def.allowed?.join(', ')}]`);
      return ok([...new Set(items)].join(','));
    }
  }
}

function effective(configs: TopicConfigs, name: string): bigint {
  const def = TOPIC_CONFIG_DEFS.get(name);
  if (!def) throw new Error(`no config definition ${name}`);
  return BigInt(configs[name] ?? def.defaultValue);
}

/**
 * KIP-405: the hot (local) tier may not keep more than the whole log; -2 follows the total, and
 * -1 (unbounded) locally is only valid when the total is unbounded too.
 */
function validateLocalRetention(configs: TopicConfigs, localName: string, totalName: string): Result<true> {
  const local = effective(configs, localName);
  const total = effective(configs, totalName);
  if (local === -2n || total === -1n) return ok(true);
  if (local === -1n) {
    return fail('INVALID_CONFIG', `Value must not be -1 as ${totalName} value is set as ${total}`);
  }
  if (local > total) {
    return fail('INVALID_CONFIG', `Value must not be more than ${totalName} property value: ${total}`);
  }
  return ok(true);
}

/** Validates a full set of explicitly set configs, returning them normalised. */
export function validateTopicConfigs(input: Readonly<Record<string, string | null | undefined>>): Result<TopicConfigs> {
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(input)) {
    const def = TOPIC_CONFIG_DEFS.get(name);
    if (!def) return fail('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    if (raw === null || raw === undefined) return fail('INVALID_CONFIG', `Null value not supported for topic config ${name}`);
    const checked = validateValue(def, raw);
    if (!checked.ok) return checked;
    out[name] = checked.value;
  }
  for (const [local, total] of [
    ['local.retention.ms', 'retention.ms'],
    ['local.retention.bytes', 'retention.bytes'],
  ] as const) {
    const cross = validateLocalRetention(out, local, total);
    if (!cross.ok) return cross;
  }
  return ok(out);
}

/** KIP-339 incremental alter: applies ops to the current set, then validates the result. */
export function applyIncrementalAlter(current: TopicConfigs, ops: readonly AlterConfigOp[]): Result<TopicConfigs> {
  const next: Record<string, string> = { ...current };
  const seen = new Set<string>();
  for (const { name, op, value } of ops) {
    const def = TOPIC_CONFIG_DEFS.get(name);
    if (!def) return fail('INVALID_CONFIG', `Unknown topic config name: ${name}`);
    // Kafka rejects a request naming the same config twice (ambiguous order).
    if (seen.has(name)) return fail('INVALID_REQUEST', `Error due to duplicate config keys: ${name}`);
    seen.add(name);
    if (op === 'DELETE') {
      delete next[name];
      continue;
    }
    if (value === null || value === undefined) return fail('INVALID_CONFIG', `Null value not supported for ${op} of ${name}`);
    if (op === 'SET') {
      next[name] = value;
      continue;
    }
    if (def.type !== 'list') {
      return fail('INVALID_CONFIG', `Config value ${op.toLowerCase()} is not allowed for config key: ${name}`);
    }
    const items = (next[name] ?? def.defaultValue).split(',').filter((s) => s.length > 0);
    const changes = value.split(',').map((s) => s.trim());
    const merged = op === 'APPEND' ? [...items, ...changes.filter((c) => !items.includes(c))] : items.filter((i) => !changes.includes(i));
    if (merged.length === 0) return fail('INVALID_CONFIG', `Subtracting ${value} leaves ${name} empty`);
    next[name] = merged.join(',');
  }
  return validateTopicConfigs(next);
}

/** DescribeConfigs view: every supported config with its effective value and source. */
export function describeTopicConfigs(configs: TopicConfigs, names?: readonly string[]): ConfigEntry[] {
  const wanted = names && names.length > 0 ? names : [...TOPIC_CONFIG_DEFS.keys()];
  return wanted
    .filter((name) => TOPIC_CONFIG_DEFS.has(name))
    .map((name) => {
      const set = configs[name];
      const def = TOPIC_CONFIG_DEFS.get(name) as ConfigDef;
      return {
        name,
        value: set ?? def.defaultValue,
        source: set === undefined ? 'DEFAULT_CONFIG' : 'TOPIC_CONFIG',
        isDefault: set === undefined,
        readOnly: false,
        sensitive: false,
      };
    });
}
