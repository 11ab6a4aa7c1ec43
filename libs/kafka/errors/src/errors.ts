import { errorRows } from './table';

/** Kafka's name for an error code, e.g. 'NOT_LEADER_OR_FOLLOWER'. */
export type ErrorName = keyof typeof errorRows;

/** Name → numeric code, e.g. `ErrorCode.NOT_LEADER_OR_FOLLOWER === 6`. */
export const ErrorCode = Object.freeze(
  Object.fromEntries(Object.entries(errorRows).map(([name, r]) => [name, r.code])),
) as { readonly [N in ErrorName]: (typeof errorRows)[N]['code'] };

/** Any code Kafka defines (the wire carries int16; unknown values are possible, see `describeError`). */
export type ErrorCode = (typeof ErrorCode)[ErrorName];

export interface ErrorInfo {
  readonly code: ErrorCode;
  readonly name: ErrorName;
  readonly retriable: boolean;
  readonly message: string;
}

const byCode = new Map<number, ErrorInfo>(
  (Object.entries(errorRows) as [ErrorName, (typeof errorRows)[ErrorName]][]).map(([name, r]) => [
    r.code,
    Object.freeze({ code: r.code, name, retriable: r.retriable, message: r.message }),
  ]),
);

/** Every known error, indexed by code: `kafkaErrors[6].name === 'NOT_LEADER_OR_FOLLOWER'`. */
export const kafkaErrors: { readonly [C in ErrorCode]: ErrorInfo } = Object.freeze(
  Object.fromEntries(byCode.entries()),
) as { readonly [C in ErrorCode]: ErrorInfo };

/** All known errors in code order. */
export const allKafkaErrors: readonly ErrorInfo[] = Object.freeze(
  [...byCode.values()].sort((a, b) => a.code - b.code),
);

/** True when `code` is one Kafka defines. */
export function isKnownErrorCode(code: number): code is ErrorCode {
  return byCode.has(code);
}

/**
 * Looks up a code read off the wire. Unknown codes map to UNKNOWN_SERVER_ERROR, as Kafka's own clients
 * treat a code they do not recognise (newer brokers may send codes older tables lack).
 */
export function describeError(code: number): ErrorInfo {
  return byCode.get(code) ?? (byCode.get(ErrorCode.UNKNOWN_SERVER_ERROR) as ErrorInfo);
}

/** Whether a client may retry after this error; unknown codes are not retriable. */
export function isRetriable(code: number): boolean {
  return byCode.get(code)?.retriable ?? false;
}

/** Kafka's name for a code, or `UNKNOWN_ERROR_CODE(<n>)` for codes outside the table. */
export function errorName(code: number): string {
  return byCode.get(code)?.name ?? `UNKNOWN_ERROR_CODE(${code})`;
}
