// Shape of the message descriptions the generator emits beside each codec (no documentation
// text): enough for generic code such as property-test arbitraries.

export type SchemaType =
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
  | 'uuid'
  | 'struct';

/** Inclusive version range; 0x7fff stands for "and later". */
export type SchemaRange = readonly [number, number];

export interface FieldSchema {
  readonly name: string;
  readonly prop: string;
  readonly type: SchemaType;
  readonly array: boolean;
  readonly versions: SchemaRange;
  readonly nullable?: SchemaRange;
  readonly tag?: number;
  /** The spec's default, as written there. */
  readonly default?: string;
  /** Field-level flexible versions override. */
  readonly flexible?: SchemaRange;
  readonly struct?: () => StructSchema;
}

export interface StructSchema {
  readonly name: string;
  readonly fields: readonly FieldSchema[];
}

export interface MessageSchema {
  readonly name: string;
  readonly kind: 'request' | 'response' | 'header' | 'data';
  readonly apiKey: number | null;
  readonly versions: SchemaRange;
  readonly flexible: SchemaRange | null;
  readonly root: StructSchema;
}
