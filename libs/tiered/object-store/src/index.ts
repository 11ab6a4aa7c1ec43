// Object store port of tiered storage and its backends (s3://, file://, memory://).
export type { ObjectStore, ObjectBody, ObjectMeta, PutOptions, PutResult, GetOptions, ListOptions, ListPage } from './types';
export { listAll, MAX_LIST_PAGE } from './types';
export { openObjectStore, DEFAULT_PART_SIZE, MIN_PART_SIZE, MAX_PART_SIZE, type OpenObjectStoreOptions, type S3StoreSettings } from './open';
export {
  ObjectStoreError,
  ObjectNotFoundError,
  ObjectStoreUnavailableError,
  ChecksumMismatchError,
  InvalidObjectStoreUrlError,
  ObjectStoreConfigError,
  ObjectStoreArgumentError,
  ObjectStoreRequestError,
  isObjectStoreError,
  type ObjectStoreErrorCode,
} from './errors';
export { checksumOf, createChecksumHasher, formatChecksum, parseChecksum, type Checksum, type ChecksumAlgorithm, type ChecksumHasher } from './checksum';
export {
  retry,
  RetriesExhaustedError,
  DEFAULT_RETRY_POLICY,
  backoffCeilingMs,
  systemClock,
  type RetryPolicy,
  type RetryClock,
  type RetryOptions,
  type RetryAttemptInfo,
} from './retry';
export { isRetriableS3Error } from './s3/s3-errors';
export type { S3RetryInfo } from './s3/s3-call';
export { MemoryObjectStore } from './memory/memory-store';
export { FileObjectStore, type FileObjectStoreOptions } from './file/file-store';
export { S3ObjectStore, type ConditionalCreateSetting } from './s3/s3-store';
export type { ConditionalMode } from './s3/s3-upload';
