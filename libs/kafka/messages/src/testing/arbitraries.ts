// fast-check arbitraries derived from the generated message schemas: for a message and version,
// values whose fields absent from that version hold their defaults (what a decoder returns), so
// decode(encode(x)) must deep-equal x. Test support only; not exported from the library.
import fc from 'fast-check';
import { ZERO_UUID, type UnknownTaggedField } from '@stratus/kafka-protocol';
import type { FieldSchema, MessageSchema, SchemaRange, StructSchema } from '../runtime';

type Value = unknown;

function within(version: number, range: SchemaRange | undefined | null): boolean {
  return range !== undefined && range !== null && version >= range[0] && version <= range[1];
}

function uuidFrom(bytes: Uint8Array): string {
  const hex = Buffer.from(bytes).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The default a decoder fills in for a field absent from a version (Kafka's generator rules). */
export function defaultValue(field: FieldSchema): Value {
  const d = field.default;
  if (d === 'null') return null;
  if (field.array) return [];
  switch (field.type) {
    case 'struct':
      return defaultStruct((field.struct as () => StructSchema)());
    case 'bool':
      return d === 'true';
    case 'int64':
      return BigInt(d ?? 0);
    case 'string':
      return d ?? '';
    case 'bytes':
      return Buffer.alloc(0);
    case 'records':
      return field.nullable !== undefined ? null : Buffer.alloc(0);
    case 'uuid':
      return ZERO_UUID;
    default:
      return Number(d ?? 0);
  }
}

export function defaultStruct(struct: StructSchema): Record<string, Value> {
  return Object.fromEntries(struct.fields.map((f) => [f.prop, defaultValue(f)]));
}

function primitive(type: FieldSchema['type']): fc.Arbitrary<Value> {
  switch (type) {
    case 'bool':
      return fc.boolean();
    case 'int8':
      return fc.integer({ min: -0x80, max: 0x7f });
    case 'int16':
      return fc.integer({ min: -0x8000, max: 0x7fff });
    case 'uint16':
      return fc.integer({ min: 0, max: 0xffff });
    case 'int32':
      return fc.integer({ min: -0x80000000, max: 0x7fffffff });
    case 'uint32':
      return fc.integer({ min: 0, max: 0xffffffff });
    case 'int64':
      return fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n });
    case 'float64':
      return fc.double();
    case 'string':
      return fc.string({ unit: 'grapheme', maxLength: 12 });
    case 'bytes':
    case 'records':
      return fc.uint8Array({ maxLength: 24 }).map((b) => Buffer.from(b));
    case 'uuid':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map(uuidFrom);
    default:
      throw new Error(`no arbitrary for ${type}`);
  }
}

/** Unknown tagged fields with tags the struct does not know, in ascending order. */
function unknownTaggedFields(struct: StructSchema): fc.Arbitrary<UnknownTaggedField[]> {
  const known = new Set(struct.fields.map((f) => f.tag).filter((t) => t !== undefined));
  return fc
    .uniqueArray(fc.integer({ min: 0, max: 40 }).filter((t) => !known.has(t)), { minLength: 1, maxLength: 3 })
    .chain((tags) =>
      fc.tuple(...tags.sort((a, b) => a - b).map((tag) => fc.uint8Array({ maxLength: 8 }).map((d) => ({ tag, data: Buffer.from(d) })))),
    );
}

export interface ArbitraryOptions {
  /** Flexible versions of the message (null when none). */
  readonly flexible: SchemaRange | null;
  readonly depth: number;
}

function fieldArbitrary(field: FieldSchema, version: number, options: ArbitraryOptions): fc.Arbitrary<Value> {
  if (!within(version, field.versions)) return fc.constant(defaultValue(field));
  const element =
    field.type === 'struct'
      ? structArbitrary((field.struct as () => StructSchema)(), version, { ...options, depth: options.depth + 1 })
      : primitive(field.type);
  const value = field.array ? fc.array(element, { maxLength: options.depth < 2 ? 3 : 1 }) : element;
  return within(version, field.nullable) ? fc.option(value, { nil: null, freq: 4 }) : value;
}

export function structArbitrary(struct: StructSchema, version: number, options: ArbitraryOptions): fc.Arbitrary<Record<string, Value>> {
  const fields: Record<string, fc.Arbitrary<Value>> = {};
  for (const field of struct.fields) fields[field.prop] = fieldArbitrary(field, version, options);
  const flexible = within(version, options.flexible);
  if (!flexible) return fc.record(fields);
  return fc.tuple(fc.record(fields), fc.option(unknownTaggedFields(struct), { freq: 3 })).map(([value, unknown]) =>
    unknown === null ? value : { ...value, _unknownTaggedFields: unknown },
  );
}

/** Values of `schema` valid at `version`. */
export function messageArbitrary(schema: MessageSchema, version: number): fc.Arbitrary<Record<string, Value>> {
  return structArbitrary(schema.root, version, { flexible: schema.flexible, depth: 0 });
}
