// Typed failures of the object store port. Callers branch on `code` (or instanceof) and on
// `retriable`: an unavailable store is a condition to wait out (the hot tier keeps the data), a
// checksum mismatch or a rejected request is not.

export type ObjectStoreErrorCode =
  | 'not_found'
  | 'unavailable'
  | 'checksum_mismatch'
  | 'invalid_url'
  | 'invalid_config'
  | 'invalid_argument'
  | 'request_rejected';

export abstract class ObjectStoreError extends Error {
  abstract readonly code: ObjectStoreErrorCode;
  /** True when the same call may succeed later without any change by the caller. */
  readonly retriable: boolean = false;
}

export class ObjectNotFoundError extends ObjectStoreError {
  readonly code = 'not_found' as const;
  constructor(readonly key: string) {
    super(`object ${JSON.stringify(key)} does not exist`);
    this.name = 'ObjectNotFoundError';
  }
}

/** The store could not be reached or kept failing with retriable errors until the retry budget ran out. */
export class ObjectStoreUnavailableError extends ObjectStoreError {
  readonly code = 'unavailable' as const;
  override readonly retriable = true;
  constructor(
    readonly operation: string,
    readonly attempts: number,
    override readonly cause: unknown,
  ) {
    super(`object store unavailable: ${operation} failed after ${attempts} attempt(s): ${describeCause(cause)}`);
    this.name = 'ObjectStoreUnavailableError';
  }
}

export class ChecksumMismatchError extends ObjectStoreError {
  readonly code = 'checksum_mismatch' as const;
  constructor(
    readonly key: string,
    readonly expected: string,
    readonly actual: string,
    readonly stage: 'upload' | 'read',
  ) {
    super(`checksum mismatch on ${stage} of ${JSON.stringify(key)}: expected ${expected}, got ${actual}`);
    this.name = 'ChecksumMismatchError';
  }
}

export class InvalidObjectStoreUrlError extends ObjectStoreError {
  readonly code = 'invalid_url' as const;
  constructor(
    readonly url: string,
    readonly reason: string,
  ) {
    super(`invalid object store URL ${JSON.stringify(redactUrl(url))}: ${reason}`);
    this.name = 'InvalidObjectStoreUrlError';
  }
}

export class ObjectStoreConfigError extends ObjectStoreError {
  readonly code = 'invalid_config' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ObjectStoreConfigError';
  }
}

/** A bad key, range or body handed to the store by its caller. */
export class ObjectStoreArgumentError extends ObjectStoreError {
  readonly code = 'invalid_argument' as const;
  constructor(message: string) {
    super(message);
    this.name = 'ObjectStoreArgumentError';
  }
}

/** The store answered with a non-retriable refusal (access denied, no such bucket, ...). */
export class ObjectStoreRequestError extends ObjectStoreError {
  readonly code = 'request_rejected' as const;
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    readonly serviceCode: string,
    message: string,
  ) {
    super(`object store rejected ${operation}: ${serviceCode}${status === undefined ? '' : ` (HTTP ${status})`}: ${message}`);
    this.name = 'ObjectStoreRequestError';
  }
}

export function isObjectStoreError(err: unknown): err is ObjectStoreError {
  return err instanceof ObjectStoreError;
}

function describeCause(cause: unknown): string {
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${cause.name} ${code}: ${cause.message}` : `${cause.name}: ${cause.message}`;
  }
  return String(cause);
}

/** URLs may carry credentials in the userinfo part; never echo them into logs. */
export function redactUrl(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');
}
