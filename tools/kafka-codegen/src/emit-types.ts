// Emits the TypeScript interface of each struct: one shape for all versions, with fields that are
// absent from some versions (or tagged) optional, and `| null` where some version allows null.
import type { FileContext } from './emit-context';
import type { StructModel } from './model';
import { fieldReach, fieldTsType, isOptional, liveFields, mayBeNull } from './type-info';
import { formatRange, intersect, versionCondition } from './versions';

export function emitInterface(ctx: FileContext, struct: StructModel): string {
  const lines: string[] = [];
  for (const field of liveFields(struct)) {
    const notes = [`versions ${formatRange(fieldReach(struct, field))}`];
    if (mayBeNull(struct, field)) notes.push(`nullable ${formatRange(intersect(field.nullableVersions, fieldReach(struct, field)))}`);
    if (field.tag !== null) notes.push(`tag ${field.tag}`);
    if (field.entityType !== null) notes.push(`entity ${field.entityType}`);
    if (field.mapKey) notes.push('map key');
    if (field.ignorable) notes.push('ignorable');
    lines.push(`  /** ${notes.join('; ')} */`);
    lines.push(`  ${field.prop}${isOptional(struct, field) ? '?' : ''}: ${fieldTsType(struct, field)};`);
  }
  if (versionCondition(ctx.message.flexibleVersions, struct.reach) !== 'false') {
    lines.push('  /** Tagged fields this version of the code does not know, kept for round trips. */');
    lines.push(`  _unknownTaggedFields?: UnknownTaggedField[];`);
  }
  return `export interface ${struct.tsName} {\n${lines.join('\n')}\n}`;
}
