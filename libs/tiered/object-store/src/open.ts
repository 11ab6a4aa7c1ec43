// Chooses the ObjectStore implementation from a URL, so one config setting (`objectStoreUrl`)
// says where sealed segments live:
//   s3://bucket/prefix?endpoint=http://127.0.0.1:9000&region=eu-west-1&forcePathStyle=true
//   file:///var/lib/stratus/objects     (absolute)   file:data/objects (relative to baseDir)
//   memory://name                       (unit tests)
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { S3Client } from '@aws-sdk/client-s3';
import { InvalidObjectStoreUrlError, ObjectStoreConfigError, redactUrl } from './errors';
import { FileObjectStore, type FileObjectStoreOptions } from './file/file-store';
import { MemoryObjectStore } from './memory/memory-store';
import { DEFAULT_RETRY_POLICY, validateRetryPolicy, type RetryClock, type RetryPolicy } from './retry';
import type { S3RetryInfo } from './s3/s3-call';
import { S3ObjectStore, type ConditionalCreateSetting } from './s3/s3-store';
import type { ObjectStore } from './types';

const MIB = 1024 * 1024;
/** S3's smallest allowed part (except the last) and largest. */
export const MIN_PART_SIZE = 5 * MIB;
export const MAX_PART_SIZE = 5 * 1024 * MIB;
export const DEFAULT_PART_SIZE = 8 * MIB;

export interface S3StoreSettings {
  /** Custom S3 API endpoint (MinIO, s3rver ...); AWS when unset. */
  readonly endpoint?: string;
  readonly region?: string;
  /** Path-style addressing (bucket in the path), needed by most non-AWS servers. */
  readonly forcePathStyle?: boolean;
  /** Static credentials; when absent the AWS default chain (env, profile, IRSA, instance role) applies. */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };
  /** Multipart part size in bytes (default 8 MiB; 5 MiB to 5 GiB). Bodies up to one part use a single PUT. */
  readonly partSize?: number;
  /** 'auto' (default) probes whether the server honours If-None-Match: * and emulates it if not. */
  readonly conditionalCreate?: ConditionalCreateSetting;
  /** Socket idle timeout per request (default 30 s): a stalled server becomes a retriable timeout. */
  readonly requestTimeoutMs?: number;
  readonly connectionTimeoutMs?: number;
  /** Use this client instead of building one (it is not destroyed on close). */
  readonly client?: S3Client;
}

export interface OpenObjectStoreOptions {
  readonly s3?: S3StoreSettings;
  readonly file?: FileObjectStoreOptions;
  readonly retry?: RetryPolicy;
  /** Resolves relative `file:` paths (default: the process's working directory). */
  readonly baseDir?: string;
  /** Called before each retry sleep (for logs and a retries counter). */
  readonly onRetry?: (info: S3RetryInfo) => void;
  readonly clock?: RetryClock;
  readonly random?: () => number;
}

const S3_QUERY_KEYS = new Set(['endpoint', 'region', 'forcePathStyle', 'partSize', 'conditionalCreate']);

export async function openObjectStore(url: string, options: OpenObjectStoreOptions = {}): Promise<ObjectStore> {
  if (typeof url !== 'string' || url.trim() === '') throw new InvalidObjectStoreUrlError(String(url), 'empty');
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
      return FileObjectStore.open(filePath(url, options.baseDir), options.file);
    case 'memory':
      return new MemoryObjectStore({ name: url.slice('memory://'.length) });
    case 's3':
      return openS3(url, options);
    default:
      throw new InvalidObjectStoreUrlError(url, 'the scheme must be s3://, file:// or memory://');
  }
}

function filePath(url: string, baseDir: string | undefined): string {
  if (!url.startsWith('file://')) {
    // `file:relative/path`: the URL standard has no relative file URLs; local configs want one.
    const rest = url.slice('file:'.length);
    if (rest === '') throw new InvalidObjectStoreUrlError(url, 'no path');
    return isAbsolute(rest) ? rest : resolve(baseDir ?? process.cwd(), rest);
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidObjectStoreUrlError(url, 'not a URL');
  }
  if (parsed.host !== '' && parsed.host !== 'localhost') {
    throw new InvalidObjectStoreUrlError(url, `file URLs name a local absolute path (file:///path), not host ${JSON.stringify(parsed.host)}`);
  }
  if (parsed.search !== '' || parsed.hash !== '') throw new InvalidObjectStoreUrlError(url, 'file URLs take no query or fragment');
  const path = fileURLToPath(parsed);
  if (path === '/') throw new InvalidObjectStoreUrlError(url, 'refusing to use / as the object store');
  return path;
}

async function openS3(url: string, options: OpenObjectStoreOptions): Promise<S3ObjectStore> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InvalidObjectStoreUrlError(url, 'not a URL');
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new InvalidObjectStoreUrlError(url, 'credentials do not belong in the URL; use the config or the AWS default chain');
  }
  const bucket = parsed.hostname;
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket) || parsed.port !== '') {
    throw new InvalidObjectStoreUrlError(url, `${JSON.stringify(parsed.host)} is not a valid bucket name (3-63 of a-z 0-9 . -)`);
  }
  const rawPrefix = decodeURIComponent(parsed.pathname.replace(/^\/+/, ''));
  if (rawPrefix.split('/').some((segment, i, all) => segment === '' && i < all.length - 1)) {
    throw new InvalidObjectStoreUrlError(url, 'the prefix has an empty segment');
  }
  const prefix = rawPrefix === '' || rawPrefix.endsWith('/') ? rawPrefix : `${rawPrefix}/`;
  for (const key of parsed.searchParams.keys()) {
    if (!S3_QUERY_KEYS.has(key)) throw new InvalidObjectStoreUrlError(url, `unknown parameter ${JSON.stringify(key)} (known: ${[...S3_QUERY_KEYS].join(', ')})`);
  }
  const query = parsed.searchParams;
  const settings: S3StoreSettings = {
    ...options.s3,
    endpoint: options.s3?.endpoint ?? query.get('endpoint') ?? undefined,
    region: options.s3?.region ?? query.get('region') ?? undefined,
    forcePathStyle: options.s3?.forcePathStyle ?? parseBool(url, 'forcePathStyle', query.get('forcePathStyle')),
    partSize: options.s3?.partSize ?? parseIntParam(url, 'partSize', query.get('partSize')),
    conditionalCreate: options.s3?.conditionalCreate ?? parseMode(url, query.get('conditionalCreate')),
  };
  const partSize = settings.partSize ?? DEFAULT_PART_SIZE;
  if (!Number.isSafeInteger(partSize) || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
    throw new ObjectStoreConfigError(`partSize must be between ${MIN_PART_SIZE} and ${MAX_PART_SIZE} bytes (S3 limits), got ${partSize}`);
  }
  if (settings.endpoint !== undefined && !/^https?:\/\/[^/]+/.test(settings.endpoint)) {
    throw new ObjectStoreConfigError(`S3 endpoint must be an http(s) URL, got ${JSON.stringify(redactUrl(settings.endpoint))}`);
  }
  const retryPolicy = options.retry ?? DEFAULT_RETRY_POLICY;
  try {
    validateRetryPolicy(retryPolicy);
  } catch (err) {
    throw new ObjectStoreConfigError((err as Error).message);
  }
  const client =
    settings.client ??
    new S3Client({
      region: settings.region ?? process.env['AWS_REGION'] ?? 'us-east-1',
      ...(settings.endpoint ? { endpoint: settings.endpoint } : {}),
      forcePathStyle: settings.forcePathStyle ?? false,
      ...(settings.credentials ? { credentials: settings.credentials } : {}),
      // Our retry policy is the only one (see s3-store.ts).
      maxAttempts: 1,
      // Checksums are ours (Content-MD5 + recorded CRC32C/SHA-256); the SDK's default trailing
      // checksums use aws-chunked encoding that several S3-compatible servers do not accept.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        requestTimeout: settings.requestTimeoutMs ?? 30_000,
        connectionTimeout: settings.connectionTimeoutMs ?? 5_000,
        // Without this the SDK only logs a warning and keeps waiting on a stalled server: a
        // frozen S3 endpoint must become a retriable timeout, not a hang.
        throwOnRequestTimeout: true,
      },
    });
  return new S3ObjectStore({
    client,
    ownsClient: settings.client === undefined,
    bucket,
    prefix,
    partSize,
    conditionalCreate: settings.conditionalCreate ?? 'auto',
    call: { policy: retryPolicy, clock: options.clock, random: options.random, onRetry: options.onRetry },
  });
}

function parseBool(url: string, name: string, value: string | null): boolean | undefined {
  if (value === null) return undefined;
  if (value === 'true') return true;
  if (value === 'false') return false;
  throw new InvalidObjectStoreUrlError(url, `${name} must be true or false`);
}

function parseIntParam(url: string, name: string, value: string | null): number | undefined {
  if (value === null) return undefined;
  if (!/^\d+$/.test(value)) throw new InvalidObjectStoreUrlError(url, `${name} must be a whole number of bytes`);
  return Number(value);
}

function parseMode(url: string, value: string | null): ConditionalCreateSetting | undefined {
  if (value === null) return undefined;
  if (value === 'auto' || value === 'native' || value === 'emulated') return value;
  throw new InvalidObjectStoreUrlError(url, 'conditionalCreate must be auto, native or emulated');
}
