import { isNotFoundError, isPreconditionFailed, isRetriableS3Error } from './s3-errors';

function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

describe('isRetriableS3Error', () => {
  it.each([
    ['SlowDown', 503],
    ['ServiceUnavailable', 503],
    ['InternalError', 500],
    ['Whatever', 502],
    ['RequestTimeout', 400],
    ['RequestTimeoutException', 408],
    ['TooManyRequestsException', 429],
    ['ThrottlingException', 400],
    ['ConditionalRequestConflict', 409],
  ])('retries %s (%d)', (name, status) => {
    expect(isRetriableS3Error(serviceError(name, status))).toBe(true);
  });

  it.each([
    ['AccessDenied', 403],
    ['InvalidAccessKeyId', 403],
    ['NoSuchBucket', 404],
    ['NoSuchKey', 404],
    ['PreconditionFailed', 412],
    ['InvalidRange', 416],
    ['BadDigest', 400],
    ['EntityTooSmall', 400],
  ])('does not retry %s (%d)', (name, status) => {
    expect(isRetriableS3Error(serviceError(name, status))).toBe(false);
  });

  it.each(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN'])('retries socket error %s', (code) => {
    expect(isRetriableS3Error(Object.assign(new Error(`connect ${code}`), { code }))).toBe(true);
  });

  it('retries socket hang ups, SDK timeouts and socket errors the SDK wrapped into plain text', () => {
    expect(isRetriableS3Error(new Error('socket hang up'))).toBe(true);
    expect(isRetriableS3Error(Object.assign(new Error('request timed out'), { name: 'TimeoutError' }))).toBe(true);
    expect(isRetriableS3Error(new Error('AWS SDK error wrapper for Error: connect ECONNREFUSED 127.0.0.1:9'))).toBe(true);
  });

  it('does not retry bugs or unknown failures', () => {
    expect(isRetriableS3Error(new TypeError('x is not a function'))).toBe(false);
    expect(isRetriableS3Error('a string')).toBe(false);
    expect(isRetriableS3Error(undefined)).toBe(false);
  });
});

describe('S3 answer classification', () => {
  it('tells a missing key from a missing bucket', () => {
    expect(isNotFoundError(serviceError('NoSuchKey', 404))).toBe(true);
    expect(isNotFoundError(serviceError('NotFound', 404))).toBe(true);
    expect(isNotFoundError(serviceError('NoSuchBucket', 404))).toBe(false);
  });

  it('recognises a failed If-None-Match condition', () => {
    expect(isPreconditionFailed(serviceError('PreconditionFailed', 412))).toBe(true);
    expect(isPreconditionFailed(serviceError('AccessDenied', 403))).toBe(false);
  });
});
