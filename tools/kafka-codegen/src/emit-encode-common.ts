// Pieces shared by the size pass and the fill pass of an encoder.
import type { FileContext } from './emit-context';
import type { FieldModel, StructModel } from './model';
import { defaultExpr, isDefaultExpr, isOptional, isTagged, liveFields, mayBeNull, nullCondition } from './type-info';
import { versionCondition } from './versions';

/**
 * The field's value in `m`, with the default standing in for an omitted optional field.
 * A field the version being encoded does not have is skipped whatever its value, as if every
 * field were `ignorable`: handlers build the newest shape and answer every version from it
 * (franz-go's approach), rather than Kafka's generated code throwing for a non-default value.
 */
export function valueOf(ctx: FileContext, struct: StructModel, field: FieldModel): string {
  if (!isOptional(struct, field)) return `m.${field.prop}`;
  return `(m.${field.prop} === undefined ? ${defaultExpr(struct, field, ctx.needDefault)} : m.${field.prop})`;
}

/**
 * `v` narrowed to non-null where the version does not allow null: encoding null there is a
 * caller error (ProtocolEncodeError), as in Kafka's generated code.
 */
export function nonNullWhere(ctx: FileContext, struct: StructModel, field: FieldModel, v: string, nullable: string): string {
  if (!mayBeNull(struct, field) || nullable === 'true') return v;
  const checked = `nonNull(${v}, '${struct.name === ctx.message.name ? '' : struct.name + '.'}${field.name}')`;
  return nullable === 'false' ? checked : `(${nullable} ? ${v} : ${checked})`;
}

export function positionalFields(struct: StructModel): FieldModel[] {
  return liveFields(struct).filter((f) => !isTagged(f));
}

export function taggedFields(struct: StructModel): FieldModel[] {
  return liveFields(struct)
    .filter(isTagged)
    .sort((a, b) => (a.tag ?? 0) - (b.tag ?? 0));
}

/** Condition under which tagged field `field` (value in `v`, possibly undefined) is written. */
export function taggedPresent(ctx: FileContext, struct: StructModel, field: FieldModel, v: string): string {
  const when = versionCondition(field.taggedVersions, struct.reach);
  const notDefault = `!(${isDefaultExpr(struct, field, v, ctx.needIsDefault, ctx.needDefault)})`;
  return [when === 'true' ? null : when, `${v} !== undefined`, notDefault].filter((p) => p !== null).join(' && ');
}

export { nullCondition };
