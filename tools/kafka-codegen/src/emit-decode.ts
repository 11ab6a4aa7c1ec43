// Emits `read_<Struct>(r, version)`: positional fields in spec order (each gated by version),
// then, in flexible versions, the tagged-field section (KIP-482) where unknown tags are kept.
import { finishFunction, type FileContext } from './emit-context';
import type { ElementType, FieldModel, StructModel } from './model';
import {
  compactCondition,
  defaultExpr,
  fieldReach,
  fixedSize,
  isTagged,
  liveFields,
  nullCondition,
} from './type-info';
import { intersect, isEmpty, versionCondition, type VersionRange } from './versions';

/** Folds `cond ? a : b` when the condition is constant. */
export function choose(cond: string, a: string, b: string): string {
  if (cond === 'true') return a;
  if (cond === 'false') return b;
  return `(${cond} ? ${a} : ${b})`;
}

const PRIMITIVE_READS: Record<string, string> = {
  bool: 'r.readBool()',
  int8: 'r.readInt8()',
  int16: 'r.readInt16()',
  uint16: 'r.readUInt16()',
  int32: 'r.readInt32()',
  uint32: 'r.readUInt32()',
  int64: 'r.readInt64()',
  float64: 'r.readFloat64()',
  uuid: 'r.readUuid()',
};

/** Lower bound of an element's encoded size over the versions in `reach` (bounds array counts). */
export function minSize(type: ElementType, reach: VersionRange, flexible: VersionRange, seen = new Set<StructModel>()): number {
  const fixed = fixedSize(type);
  if (fixed !== null) return fixed;
  const maybeCompact = !isEmpty(intersect(flexible, reach));
  if (type.kind === 'primitive') return maybeCompact ? 1 : type.name === 'string' ? 2 : 4;
  if (seen.has(type.struct)) return 0;
  seen.add(type.struct);
  let size = 0;
  for (const field of type.struct.fields) {
    if (isTagged(field) || field.versions.min > reach.min || field.versions.max < reach.max) continue;
    const r = intersect(reach, field.versions);
    if (field.type.kind === 'array') size += maybeCompact ? 1 : 4;
    else if (field.type.kind === 'struct' && !isEmpty(intersect(field.nullableVersions, r))) size += 1;
    else size += minSize(field.type, r, field.flexibleVersions ?? flexible, seen);
  }
  seen.delete(type.struct);
  if (flexible.min <= reach.min && flexible.max >= reach.max) size += 1;
  return size;
}

function elementRead(type: ElementType, compact: string, nullable: string): string {
  if (type.kind === 'struct') {
    const read = `read_${type.struct.tsName}(r, version)`;
    return choose(nullable, `(r.readInt8() < 0 ? null : ${read})`, read);
  }
  const fixed = PRIMITIVE_READS[type.name];
  if (fixed !== undefined) return fixed;
  const noun = type.name === 'string' ? 'String' : 'Bytes';
  return choose(
    compact,
    choose(nullable, `r.readCompactNullable${noun}()`, `r.readCompact${noun}()`),
    choose(nullable, `r.readNullable${noun}()`, `r.read${noun}()`),
  );
}

/** Expression reading one field's value (present in this version). */
export function fieldRead(ctx: FileContext, struct: StructModel, field: FieldModel): string {
  const compact = compactCondition(struct, field, ctx.message.flexibleVersions);
  const nullable = nullCondition(struct, field);
  if (field.type.kind !== 'array') return elementRead(field.type, compact, nullable);
  const reach = fieldReach(struct, field);
  const min = minSize(field.type.element, reach, field.flexibleVersions ?? ctx.message.flexibleVersions);
  const element = elementRead(field.type.element, compact, 'false');
  const reader = (fn: string): string => `${fn}(r, ${min}, () => ${element})`;
  return choose(
    compact,
    choose(nullable, reader('readCompactNullableArray'), reader('readCompactArray')),
    choose(nullable, reader('readNullableArray'), reader('readArray')),
  );
}

export function emitRead(ctx: FileContext, struct: StructModel): string {
  const body: string[] = [];
  const props: string[] = [];
  const fields = liveFields(struct);
  fields.forEach((field, i) => {
    const local = `f${i}`;
    if (isTagged(field)) {
      props.push(`${field.prop}: ${defaultExpr(struct, field, ctx.needDefault)}`);
      return;
    }
    const present = versionCondition(field.versions, struct.reach);
    const dflt = present === 'true' ? '' : defaultExpr(struct, field, ctx.needDefault);
    body.push(`  const ${local} = ${choose(present, fieldRead(ctx, struct, field), dflt)};`);
    props.push(`${field.prop}: ${local}`);
  });
  body.push(`  const m: ${struct.tsName} = { ${props.join(', ')} };`);
  const flexible = versionCondition(ctx.message.flexibleVersions, struct.reach);
  if (flexible !== 'false') {
    const tagged = fields.filter(isTagged).sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0));
    const branches = tagged.map((field) => {
      // Guarded against the struct's versions, not the field's own: the loop runs for every flexible
      // version of the struct, and a tag sent at a version where the field does not exist is an
      // unknown tag there (KIP-482), kept as such so that re-encoding returns the same bytes.
      const when = versionCondition(intersect(field.taggedVersions, field.versions), intersect(struct.reach, ctx.message.flexibleVersions));
      const guard = when === 'true' ? '' : ` && ${when}`;
      return [
        `if (tag === ${field.tag}${guard}) {`,
        `        m.${field.prop} = ${fieldRead(ctx, struct, field)};`,
        `        r.endTaggedField(start, size, tag);`,
        `      } else `,
      ].join('\n');
    });
    body.push(
      `  if (flexible) {`,
      `    const count = r.readTaggedFieldCount();`,
      `    for (let i = 0; i < count; i++) {`,
      `      const tag = r.readUnsignedVarint();`,
      `      const size = r.readTaggedFieldSize();`,
      ...(tagged.length > 0 ? [`      const start = r.offset;`] : []),
      `      ${branches.join('')}{`,
      `        (m._unknownTaggedFields ??= []).push(r.readUnknownTaggedField(tag, size));`,
      `      }`,
      `    }`,
      `  }`,
    );
  }
  body.push('  return m;');
  return finishFunction({
    signature: (n) => `function read_${struct.tsName}(${n['r']}: Reader, ${n['version']}: number): ${struct.tsName}`,
    params: ['r', 'version'],
    body,
    flexibleCondition: flexible,
  });
}
