// The type model the emitters work from: Kafka's JSON message specs resolved into structs, fields
// and version ranges. Descriptive text ("about") is deliberately not part of it.
import type { VersionRange } from './versions';

export type PrimitiveName =
  | 'bool'
  | 'int8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'float64'
  | 'string'
  | 'bytes'
  | 'records'
  | 'uuid';

export const PRIMITIVES: readonly PrimitiveName[] = [
  'bool',
  'int8',
  'int16',
  'uint16',
  'int32',
  'uint32',
  'int64',
  'float64',
  'string',
  'bytes',
  'records',
  'uuid',
];

export type ElementType = { kind: 'primitive'; name: PrimitiveName } | { kind: 'struct'; struct: StructModel };
export type FieldType = ElementType | { kind: 'array'; element: ElementType };

export interface FieldModel {
  /** Name in the spec (PascalCase). */
  readonly name: string;
  /** Property name in TypeScript (camelCase). */
  readonly prop: string;
  readonly type: FieldType;
  readonly versions: VersionRange;
  readonly nullableVersions: VersionRange;
  readonly taggedVersions: VersionRange;
  readonly tag: number | null;
  /** Raw `default` from the spec, if any. */
  readonly defaultValue: string | undefined;
  readonly ignorable: boolean;
  /** Field-level override of flexible versions (the request header's ClientId). */
  readonly flexibleVersions: VersionRange | null;
  readonly mapKey: boolean;
  readonly entityType: string | null;
}

export interface StructModel {
  /** Name in the spec. */
  readonly name: string;
  /** Exported TypeScript type name (prefixed with the message name to stay unique). */
  readonly tsName: string;
  readonly fields: FieldModel[];
  /** Versions of the message in which this struct can appear (folds version checks). */
  reach: VersionRange;
}

export type MessageKind = 'request' | 'response' | 'header' | 'data';

export interface MessageModel {
  readonly name: string;
  readonly kind: MessageKind;
  readonly apiKey: number | null;
  readonly validVersions: VersionRange;
  readonly flexibleVersions: VersionRange;
  readonly listeners: readonly string[];
  readonly latestVersionUnstable: boolean;
  readonly root: StructModel;
  /** Every struct of the message, root first, each once. */
  readonly structs: StructModel[];
  /** Spec file name, for the generated header. */
  readonly file: string;
}
