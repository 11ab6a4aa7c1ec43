// Emits `size_<Struct>(m, version)`: the exact encoded size, the first pass of size-then-fill.
import { finishFunction, type FileContext } from './emit-context';
import { choose } from './emit-decode';
import { nonNullWhere, positionalFields, taggedFields, taggedPresent, valueOf } from './emit-encode-common';
import type { ElementType, FieldModel, StructModel } from './model';
import { compactCondition, fixedSize, nullCondition } from './type-info';
import { versionCondition } from './versions';

function elementSize(type: ElementType, v: string, compact: string): string {
  const fixed = fixedSize(type);
  if (fixed !== null) return String(fixed);
  if (type.kind === 'struct') return `size_${type.struct.tsName}(${v}, version)`;
  const noun = type.name === 'string' ? 'String' : 'Bytes';
  return choose(compact, `sizeOfCompact${noun}(${v})`, `sizeOf${noun}(${v})`);
}

/** Size expression of a field whose value is `v` (already defaulted). */
export function fieldSize(ctx: FileContext, struct: StructModel, field: FieldModel, v: string): string {
  const compact = compactCondition(struct, field, ctx.message.flexibleVersions);
  const nullable = nullCondition(struct, field);
  if (field.type.kind === 'struct') {
    // A nullable struct carries a marker byte (-1 null, 1 present) only in its nullable versions.
    const size = `size_${field.type.struct.tsName}`;
    const withMarker = `(${v} === null ? 1 : 1 + ${size}(${v}, version))`;
    const without = `${size}(${nonNullWhere(ctx, struct, field, v, 'false')}, version)`;
    return choose(nullable, withMarker, without);
  }
  if (field.type.kind === 'primitive') {
    return elementSize(field.type, nonNullWhere(ctx, struct, field, v, nullable), compact);
  }
  const element = field.type.element;
  const fixed = fixedSize(element);
  const each = fixed !== null ? String(fixed) : `(e) => ${elementSize(element, 'e', compact)}`;
  const helper = (name: string, value: string): string => `${name}(${value}, ${each})`;
  return choose(
    compact,
    choose(nullable, helper('sizeOfCompactNullableArray', v), helper('sizeOfCompactArray', nonNullWhere(ctx, struct, field, v, 'false'))),
    choose(nullable, helper('sizeOfNullableArray', v), helper('sizeOfArray', nonNullWhere(ctx, struct, field, v, 'false'))),
  );
}

export function emitSize(ctx: FileContext, struct: StructModel): string {
  const body: string[] = ['  let size = 0;'];
  for (const field of positionalFields(struct)) {
    const present = versionCondition(field.versions, struct.reach);
    const expr = fieldSize(ctx, struct, field, 'v');
    const block = /\bv\b/.test(expr) ? [`const v = ${valueOf(ctx, struct, field)};`, `size += ${expr};`] : [`size += ${expr};`];
    if (present === 'true') body.push(block.length === 1 ? `  ${block[0]}` : `  {\n    ${block.join('\n    ')}\n  }`);
    else body.push(`  if (${present}) {\n    ${block.join('\n    ')}\n  }`);
  }
  const flexible = versionCondition(ctx.message.flexibleVersions, struct.reach);
  if (flexible !== 'false') {
    const tagged = taggedFields(struct);
    const declare = tagged.length === 0 ? 'const' : 'let';
    body.push(`  if (flexible) {`, `    const unknown = m._unknownTaggedFields;`, `    ${declare} count = unknown === undefined ? 0 : unknown.length;`);
    for (const field of tagged) {
      const v = `m.${field.prop}`;
      body.push(
        `    if (${taggedPresent(ctx, struct, field, v)}) {`,
        `      count++;`,
        `      size += sizeOfTaggedField(${field.tag}, ${fieldSize(ctx, struct, field, v)});`,
        `    }`,
      );
    }
    body.push(
      `    size += sizeOfUnsignedVarint(count) + sizeOfUnknownTaggedFields(unknown);`,
      `  }`,
    );
  }
  body.push('  return size;');
  return finishFunction({
    signature: (n) => `function size_${struct.tsName}(${n['m']}: ${struct.tsName}, ${n['version']}: number): number`,
    params: ['m', 'version'],
    body,
    flexibleCondition: flexible,
  });
}
