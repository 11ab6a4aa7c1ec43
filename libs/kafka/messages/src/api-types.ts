// Types of the generated API table and codec registry.
import type { Reader, Writer } from '@stratus/kafka-protocol';
import type { MessageSchema, MessageVersions } from './runtime';

export interface ApiTableEntry {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** First flexible version (KIP-482: compact encodings, tagged fields, header v2/v1), or null. */
  readonly flexibleMinVersion: number | null;
  /** The spec marks maxVersion as still unstable (Kafka hides it unless unstable APIs are enabled). */
  readonly latestVersionUnstable: boolean;
  readonly listeners: readonly string[];
}

export interface UnservedApi {
  readonly apiKey: number;
  readonly name: string;
  readonly reason: string;
}

/** Codec functions of one message type. Method syntax keeps codecs of any T usable as MessageCodec<unknown>. */
export interface MessageCodec<T> {
  readonly name: string;
  readonly versions: MessageVersions;
  readonly schema: MessageSchema;
  decode(input: Reader | Buffer, version: number): T;
  encode(message: T, version: number): Buffer;
  sizeOf(message: T, version: number): number;
  write(writer: Writer, message: T, version: number): void;
}

export interface ApiCodec {
  readonly apiKey: number;
  readonly name: string;
  readonly request: MessageCodec<unknown>;
  readonly response: MessageCodec<unknown>;
}
