// Emits `write_<Struct>(w, m, version)`: the fill pass of size-then-fill. Tagged fields are written
// in ascending tag order with preserved unknown tags merged in (KIP-482 requires the order).
import { finishFunction, type FileContext } from './emit-context';
import { nonNullWhere, positionalFields, taggedFields, taggedPresent, valueOf } from './emit-encode-common';
import { fieldSize } from './emit-size';
import type { ElementType, FieldModel, StructModel } from './model';
import { compactCondition, nullCondition } from './type-info';
import { versionCondition } from './versions';

const PRIMITIVE_WRITES: Record<string, string> = {
  bool: 'writeBool',
  int8: 'writeInt8',
  int16: 'writeInt16',
  uint16: 'writeUInt16',
  int32: 'writeInt32',
  uint32: 'writeUInt32',
  int64: 'writeInt64',
  float64: 'writeFloat64',
  uuid: 'writeUuid',
};

/** A statement (without indentation) writing element `v` whose type excludes null. */
function elementWrite(type: ElementType, v: string, compact: string, nullable: string): string {
  if (type.kind === 'struct') return `write_${type.struct.tsName}(w, ${v}, version);`;
  const fixed = PRIMITIVE_WRITES[type.name];
  if (fixed !== undefined) return `w.${fixed}(${v});`;
  const noun = type.name === 'string' ? 'String' : 'Bytes';
  const call = (name: string): string => `w.${name}(${v});`;
  if (compact === 'true') return call(nullable === 'true' ? `writeCompactNullable${noun}` : `writeCompact${noun}`);
  if (compact === 'false') return call(nullable === 'true' ? `writeNullable${noun}` : `write${noun}`);
  return `if (${compact}) ${call(nullable === 'true' ? `writeCompactNullable${noun}` : `writeCompact${noun}`)} else ${call(nullable === 'true' ? `writeNullable${noun}` : `write${noun}`)}`;
}

/** Statement writing field value `v` (already defaulted). */
export function fieldWrite(ctx: FileContext, struct: StructModel, field: FieldModel, v: string): string {
  const compact = compactCondition(struct, field, ctx.message.flexibleVersions);
  const nullable = nullCondition(struct, field);
  if (field.type.kind === 'struct') {
    const name = field.type.struct.tsName;
    const withMarker = `if (${v} === null) w.writeInt8(-1); else { w.writeInt8(1); write_${name}(w, ${v}, version); }`;
    const without = `write_${name}(w, ${nonNullWhere(ctx, struct, field, v, 'false')}, version);`;
    if (nullable === 'true') return withMarker;
    if (nullable === 'false') return without;
    return `if (${nullable}) { ${withMarker} } else { ${without} }`;
  }
  if (field.type.kind === 'primitive') {
    if (nullable === 'true' || nullable === 'false') {
      return elementWrite(field.type, nonNullWhere(ctx, struct, field, v, nullable), compact, nullable);
    }
    return `if (${nullable}) { ${elementWrite(field.type, v, compact, 'true')} } else { ${elementWrite(field.type, nonNullWhere(ctx, struct, field, v, 'false'), compact, 'false')} }`;
  }
  const each = `(e) => { ${elementWrite(field.type.element, 'e', compact, 'false')} }`;
  const helper = (name: string, value: string): string => `${name}(w, ${value}, ${each});`;
  return chooseStatement(
    compact,
    chooseStatement(nullable, helper('writeCompactNullableArray', v), helper('writeCompactArray', nonNullWhere(ctx, struct, field, v, 'false'))),
    chooseStatement(nullable, helper('writeNullableArray', v), helper('writeArray', nonNullWhere(ctx, struct, field, v, 'false'))),
  );
}

/** Folds `if (cond) a else b` when the condition is constant. */
function chooseStatement(cond: string, a: string, b: string): string {
  if (cond === 'true') return a;
  if (cond === 'false') return b;
  return `if (${cond}) { ${a} } else { ${b} }`;
}

export function emitWrite(ctx: FileContext, struct: StructModel): string {
  const body: string[] = [];
  for (const field of positionalFields(struct)) {
    const present = versionCondition(field.versions, struct.reach);
    const value = `const v = ${valueOf(ctx, struct, field)};`;
    const line = fieldWrite(ctx, struct, field, 'v');
    body.push(present === 'true' ? `  {\n    ${value}\n    ${line}\n  }` : `  if (${present}) {\n    ${value}\n    ${line}\n  }`);
  }
  const flexible = versionCondition(ctx.message.flexibleVersions, struct.reach);
  if (flexible !== 'false') {
    const tagged = taggedFields(struct);
    body.push(`  if (flexible) {`, `    const unknown = m._unknownTaggedFields ?? NO_TAGGED_FIELDS;`);
    if (tagged.length === 0) {
      body.push(`    w.writeUnsignedVarint(unknown.length);`, `    for (const field of unknown) w.writeUnknownTaggedField(field);`, `  }`);
    } else {
      body.push(`    let count = unknown.length;`);
      for (const field of tagged) body.push(`    if (${taggedPresent(ctx, struct, field, `m.${field.prop}`)}) count++;`);
      body.push(`    w.writeUnsignedVarint(count);`, `    let u = 0;`);
      for (const field of tagged) {
        const v = `m.${field.prop}`;
        body.push(
          `    u = writeUnknownTaggedFieldsBefore(w, unknown, u, ${field.tag});`,
          `    if (${taggedPresent(ctx, struct, field, v)}) {`,
          `      w.writeTaggedFieldHeader(${field.tag}, ${fieldSize(ctx, struct, field, v)});`,
          `      ${fieldWrite(ctx, struct, field, v)}`,
          `    }`,
        );
      }
      body.push(`    writeUnknownTaggedFieldsBefore(w, unknown, u, Infinity);`, `  }`);
    }
  }
  return finishFunction({
    signature: (n) => `function write_${struct.tsName}(${n['w']}: Writer, ${n['m']}: ${struct.tsName}, ${n['version']}: number): void`,
    params: ['w', 'm', 'version'],
    body,
    flexibleCondition: flexible,
  });
}
