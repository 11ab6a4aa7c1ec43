// Which S3 failures are worth retrying. Retrying a request that cannot succeed only delays the
// error; not retrying a transient one turns a blip into an outage, so the list is explicit.
import type { S3ServiceException } from '@aws-sdk/client-s3';

/** Error names S3 (and S3-compatible servers) use for transient, server-side conditions. */
const RETRIABLE_NAMES = new Set([
  'SlowDown', // 503: request rate too high for the prefix; back off
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout', // 400 on S3: the client did not send the body in time
  'RequestTimeoutException',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'BandwidthLimitExceeded',
  'TimeoutError', // the SDK's own socket/request timeout
  'TransientError',
  // 409 on a conditional write racing another one for the same key: AWS documents it as
  // retriable, and the retry then resolves to 412 (exists) or success.
  'ConditionalRequestConflict',
]);

/** Socket-level failures: the request may or may not have reached S3, so only idempotent or conditional requests go through here. */
const RETRIABLE_ERRNOS = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ESOCKETTIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'EAI_AGAIN', // DNS temporarily failing
  'UND_ERR_SOCKET',
  'ERR_HTTP2_STREAM_ERROR',
]);

export function s3Status(err: unknown): number | undefined {
  const status = (err as Partial<S3ServiceException> | null)?.$metadata?.httpStatusCode;
  return typeof status === 'number' ? status : undefined;
}

/** Duck-typed: errors from Node's own modules come from another realm under Jest (instanceof fails). */
export function s3ErrorName(err: unknown): string {
  const name = (err as { name?: unknown } | null)?.name;
  return typeof name === 'string' ? name : typeof err;
}

function errnoOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

export function isRetriableS3Error(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const status = s3Status(err);
  const name = s3ErrorName(err);
  if (RETRIABLE_NAMES.has(name)) return true;
  if (status !== undefined) {
    // 4xx means the request itself is wrong (auth, missing bucket, bad range ...): retrying
    // repeats the answer. 408 and 429 are the two 4xx that mean "try again later".
    if (status >= 500 || status === 408 || status === 429) return true;
    if (status >= 400) return false;
  }
  const code = errnoOf(err);
  if (code !== undefined && RETRIABLE_ERRNOS.has(code)) return true;
  // The SDK sometimes wraps a socket error into a new Error carrying only its text
  // ("AWS SDK error wrapper for Error: connect ECONNREFUSED ..."), so look at the message too.
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && (/socket hang up|other side closed/i.test(message) || [...RETRIABLE_ERRNOS].some((errno) => message.includes(errno)))) {
    return true;
  }
  // The SDK marks throttling and transient faults it recognises itself.
  return (err as { $retryable?: unknown }).$retryable !== undefined && (err as { $retryable?: unknown }).$retryable !== null;
}

export function isNotFoundError(err: unknown): boolean {
  const name = s3ErrorName(err);
  return name === 'NoSuchKey' || name === 'NotFound' || (s3Status(err) === 404 && name !== 'NoSuchBucket' && name !== 'NoSuchUpload');
}

/** 412: the If-None-Match: * condition failed, i.e. the key exists. */
export function isPreconditionFailed(err: unknown): boolean {
  return s3ErrorName(err) === 'PreconditionFailed' || s3Status(err) === 412;
}

export function isInvalidRange(err: unknown): boolean {
  return s3ErrorName(err) === 'InvalidRange' || s3Status(err) === 416;
}

export function isNoSuchUpload(err: unknown): boolean {
  return s3ErrorName(err) === 'NoSuchUpload';
}
