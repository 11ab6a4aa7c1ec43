// Runs one S3 request under the retry policy and turns what is left of a failure into the port's
// typed errors: an exhausted retry budget becomes ObjectStoreUnavailableError (retriable), a 4xx
// becomes ObjectStoreRequestError. Not-found, precondition and range answers are left to callers,
// which know what they mean for their operation.
import { ObjectStoreRequestError, ObjectStoreUnavailableError } from '../errors';
import { retry, RetriesExhaustedError, type RetryClock, type RetryPolicy } from '../retry';
import { isRetriableS3Error, s3ErrorName, s3Status } from './s3-errors';

export interface S3RetryInfo {
  readonly operation: string;
  readonly attempt: number;
  readonly delayMs: number;
  readonly error: unknown;
}

export interface S3CallContext {
  readonly policy: RetryPolicy;
  readonly clock?: RetryClock;
  readonly random?: () => number;
  readonly onRetry?: (info: S3RetryInfo) => void;
}

export interface CallOptions {
  /** Errors the caller interprets itself (returned as thrown, not wrapped). */
  readonly passThrough?: (err: unknown) => boolean;
}

export async function callS3<T>(
  context: S3CallContext,
  operation: string,
  request: (attempt: number) => Promise<T>,
  options: CallOptions = {},
): Promise<T> {
  try {
    return await retry(request, {
      policy: context.policy,
      clock: context.clock,
      random: context.random,
      isRetriable: (err) => !(options.passThrough?.(err) ?? false) && isRetriableS3Error(err),
      onRetry: (info) => context.onRetry?.({ operation, ...info }),
    });
  } catch (err) {
    if (err instanceof RetriesExhaustedError) throw new ObjectStoreUnavailableError(operation, err.attempts, err.lastError);
    if (options.passThrough?.(err)) throw err;
    if (isRetriableS3Error(err)) throw new ObjectStoreUnavailableError(operation, 1, err);
    const message = err instanceof Error ? err.message : String(err);
    throw new ObjectStoreRequestError(operation, s3Status(err), s3ErrorName(err), message);
  }
}
