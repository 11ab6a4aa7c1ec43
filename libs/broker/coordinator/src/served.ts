// What every coordinator operation answers: the API's value, or the coordinator-level error a
// client reacts to by looking the coordinator up again (NOT_COORDINATOR), waiting
// (COORDINATOR_LOAD_IN_PROGRESS) or retrying (COORDINATOR_NOT_AVAILABLE).
import { ErrorCode } from '@stratus/kafka-errors';

export type Served<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly errorCode: ErrorCode };

export const served = <T>(value: T): Served<T> => ({ ok: true, value });
export const notServed = (errorCode: ErrorCode): { readonly ok: false; readonly errorCode: ErrorCode } => ({ ok: false, errorCode });

/**
 * A failed append to the offsets partition as the client should see it (Kafka's coordinator maps
 * write failures the same way): leadership moved or the log is unusable → NOT_COORDINATOR (find the
 * new coordinator); too few replicas or a timeout → COORDINATOR_NOT_AVAILABLE (retry later).
 */
export function writeErrorToClient(code: ErrorCode): ErrorCode {
  switch (code) {
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    default:
      return ErrorCode.NOT_COORDINATOR;
  }
}
