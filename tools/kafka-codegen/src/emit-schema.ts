// Emits a compact description of the message (fields, types, version ranges, defaults) for
// generic code: property-test arbitraries, documentation, debugging tools.
import type { FileContext } from './emit-context';
import { constantCase } from './names';
import type { FieldModel, StructModel } from './model';
import { liveFields, fieldReach } from './type-info';
import { intersect, isEmpty, type VersionRange } from './versions';

const OPEN = 0x7fff;

function range(r: VersionRange): string {
  return `[${r.min}, ${r.max === Infinity ? OPEN : r.max}]`;
}

function fieldSchema(struct: StructModel, field: FieldModel, structConst: (s: StructModel) => string): string {
  const element = field.type.kind === 'array' ? field.type.element : field.type;
  const parts = [
    `name: '${field.name}'`,
    `prop: '${field.prop}'`,
    `type: '${element.kind === 'struct' ? 'struct' : element.name}'`,
    `array: ${field.type.kind === 'array'}`,
    `versions: ${range(fieldReach(struct, field))}`,
  ];
  const nullable = intersect(field.nullableVersions, fieldReach(struct, field));
  if (!isEmpty(nullable)) parts.push(`nullable: ${range(nullable)}`);
  if (field.tag !== null) parts.push(`tag: ${field.tag}`);
  if (field.defaultValue !== undefined) parts.push(`default: ${JSON.stringify(field.defaultValue)}`);
  if (field.flexibleVersions !== null) parts.push(`flexible: ${range(field.flexibleVersions)}`);
  if (element.kind === 'struct') parts.push(`struct: () => ${structConst(element.struct)}`);
  return `{ ${parts.join(', ')} }`;
}

export function emitSchema(ctx: FileContext): string {
  const m = ctx.message;
  const structConst = (s: StructModel): string => `${constantCase(s.tsName)}_STRUCT`;
  const lines: string[] = [];
  for (const struct of [...m.structs].reverse()) {
    const fields = liveFields(struct).map((f) => `    ${fieldSchema(struct, f, structConst)},`);
    lines.push(
      `const ${structConst(struct)}: StructSchema = {\n  name: '${struct.name}',\n  fields: [\n${fields.join('\n')}\n  ],\n};`,
    );
  }
  lines.push(
    `export const ${constantCase(m.name)}_SCHEMA: MessageSchema = {`,
    `  name: '${m.name}',`,
    `  kind: '${m.kind}',`,
    `  apiKey: ${m.apiKey === null ? 'null' : m.apiKey},`,
    `  versions: ${range(m.validVersions)},`,
    `  flexible: ${isEmpty(m.flexibleVersions) ? 'null' : range(m.flexibleVersions)},`,
    `  root: ${structConst(m.root)},`,
    `};`,
  );
  return lines.join('\n\n');
}
