// Domain errors are values: every fallible metadata operation returns a Result whose error carries
// the Kafka error a client expects, so the gRPC layer and the router can pass it through unchanged.
import { KafkaCode, type KafkaCodeName, type KafkaErrorCode } from './kafka-codes';

export interface MetadataError {
  readonly name: KafkaCodeName;
  readonly code: KafkaErrorCode;
  readonly message: string;
}

export type Result<T, E = MetadataError> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: E };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = (name: KafkaCodeName, message: string): Result<never> => ({
  ok: false,
  error: metadataError(name, message),
});

export function metadataError(name: KafkaCodeName, message: string): MetadataError {
  return { name, code: KafkaCode[name], message };
}

/** For tests and call sites that already proved success: unwrap or throw (a bug otherwise). */
export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new Error(`unexpected ${result.error.name}: ${result.error.message}`);
}
