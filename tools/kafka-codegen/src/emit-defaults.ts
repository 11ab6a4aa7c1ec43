// Emits, on demand, `default_<Struct>()` (the value Kafka's generator would give an absent struct)
// and `isDefault_<Struct>(m)` (tagged struct fields are only written when not default).
import { finishFunction, type FileContext } from './emit-context';
import type { StructModel } from './model';
import { defaultExpr, isDefaultExpr, liveFields } from './type-info';
import { versionCondition } from './versions';

export function emitDefault(ctx: FileContext, struct: StructModel): string {
  const props = liveFields(struct).map((f) => `${f.prop}: ${defaultExpr(struct, f, ctx.needDefault)}`);
  return `function default_${struct.tsName}(): ${struct.tsName} {\n  return { ${props.join(', ')} };\n}`;
}

export function emitIsDefault(ctx: FileContext, struct: StructModel): string {
  const checks = liveFields(struct).map(
    (f) => `(m.${f.prop} === undefined || ${isDefaultExpr(struct, f, `m.${f.prop}`, ctx.needIsDefault, ctx.needDefault)})`,
  );
  if (versionCondition(ctx.message.flexibleVersions, struct.reach) !== 'false') {
    checks.push('(m._unknownTaggedFields === undefined || m._unknownTaggedFields.length === 0)');
  }
  return finishFunction({
    signature: (n) => `function isDefault_${struct.tsName}(${n['m']}: ${struct.tsName}): boolean`,
    params: ['m'],
    body: [`  return ${checks.join('\n    && ')};`],
  });
}
