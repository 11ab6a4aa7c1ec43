// Per-field facts the emitters share: TypeScript types, defaults, fixed sizes and which versions a
// field is present, nullable, tagged or compact in (folded against the versions that reach it).
import type { ElementType, FieldModel, FieldType, StructModel } from './model';
import { contains, intersect, isEmpty, versionCondition, type VersionRange } from './versions';

/** Fields of a struct that exist in some version reaching it. */
export function liveFields(struct: StructModel): FieldModel[] {
  return struct.fields.filter((f) => !isEmpty(intersect(f.versions, struct.reach)));
}

export function fieldReach(struct: StructModel, field: FieldModel): VersionRange {
  return intersect(struct.reach, field.versions);
}

export function isTagged(field: FieldModel): boolean {
  return field.tag !== null;
}

/** Optional in the TypeScript interface: absent from some reaching version, or tagged. */
export function isOptional(struct: StructModel, field: FieldModel): boolean {
  return isTagged(field) || !contains(field.versions, struct.reach);
}

/** Whether the field may hold null in some version that reaches it. */
export function mayBeNull(struct: StructModel, field: FieldModel): boolean {
  return !isEmpty(intersect(field.nullableVersions, fieldReach(struct, field)));
}

export function nullCondition(struct: StructModel, field: FieldModel): string {
  return versionCondition(field.nullableVersions, fieldReach(struct, field));
}

export function compactCondition(struct: StructModel, field: FieldModel, flexible: VersionRange): string {
  return versionCondition(field.flexibleVersions ?? flexible, fieldReach(struct, field));
}

const FIXED_SIZES: Record<string, number> = {
  bool: 1,
  int8: 1,
  int16: 2,
  uint16: 2,
  int32: 4,
  uint32: 4,
  int64: 8,
  float64: 8,
  uuid: 16,
};

export function fixedSize(type: ElementType): number | null {
  return type.kind === 'primitive' ? (FIXED_SIZES[type.name] ?? null) : null;
}

export function elementTsType(type: ElementType): string {
  if (type.kind === 'struct') return type.struct.tsName;
  switch (type.name) {
    case 'bool':
      return 'boolean';
    case 'int64':
      return 'bigint';
    case 'string':
      return 'string';
    case 'bytes':
    case 'records':
      return 'Buffer';
    case 'uuid':
      return 'Uuid';
    default:
      return 'number';
  }
}

export function fieldTsType(struct: StructModel, field: FieldModel): string {
  const base = field.type.kind === 'array' ? `${elementTsType(field.type.element)}[]` : elementTsType(field.type);
  return mayBeNull(struct, field) ? `${base} | null` : base;
}

/** Element type of a field (the field itself unless it is an array). */
export function elementOf(type: FieldType): ElementType {
  return type.kind === 'array' ? type.element : type;
}

/**
 * The field's default as a TypeScript expression, following Kafka's generator: the spec's
 * `default` if given, else zero / empty / false, null for records, a default struct for structs.
 */
export function defaultExpr(struct: StructModel, field: FieldModel, needDefault: (s: StructModel) => string): string {
  const d = field.defaultValue;
  const nullable = mayBeNull(struct, field);
  if (d === 'null') {
    if (!nullable) throw new Error(`${field.name}: default null on a non-nullable field`);
    return 'null';
  }
  const type = field.type;
  if (type.kind === 'array') return '[]';
  if (type.kind === 'struct') return `${needDefault(type.struct)}()`;
  switch (type.name) {
    case 'bool':
      return d === undefined ? 'false' : String(d === 'true');
    case 'int64':
      return `${d === undefined ? 0n : BigInt(d)}n`;
    case 'string':
      return JSON.stringify(d ?? '');
    case 'bytes':
      return 'EMPTY_BUFFER';
    case 'records':
      return nullable ? 'null' : 'EMPTY_BUFFER';
    case 'uuid':
      if (d !== undefined && d !== '' && d !== 'AAAAAAAAAAAAAAAAAAAAAA') throw new Error(`${field.name}: unsupported uuid default ${d}`);
      return 'ZERO_UUID';
    case 'float64': {
      const n = d === undefined ? 0 : Number(d);
      if (!Number.isFinite(n)) throw new Error(`${field.name}: bad default ${d}`);
      return String(n);
    }
    default: {
      const n = d === undefined ? 0 : Number(d);
      if (!Number.isInteger(n)) throw new Error(`${field.name}: bad default ${d}`);
      return String(n);
    }
  }
}

/** A condition that `v` equals the field's default (tagged fields are only written when not). */
export function isDefaultExpr(
  struct: StructModel,
  field: FieldModel,
  v: string,
  needIsDefault: (s: StructModel) => string,
  needDefault: (s: StructModel) => string,
): string {
  if (field.defaultValue === 'null') return `${v} === null`;
  const type = field.type;
  const nullGuard = mayBeNull(struct, field) ? `${v} !== null && ` : '';
  if (type.kind === 'array') return `${nullGuard}${v}.length === 0`;
  if (type.kind === 'struct') return `${nullGuard}${needIsDefault(type.struct)}(${v})`;
  if (type.name === 'bytes' || type.name === 'records') return `${nullGuard}${v}.length === 0`;
  return `${v} === ${defaultExpr(struct, field, needDefault)}`;
}
