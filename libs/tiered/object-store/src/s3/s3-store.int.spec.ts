// The S3 backend against a real S3 API server (s3rver from the harness): the shared contract, a
// multipart round trip, and outages — stopped and frozen servers must give a retriable error after
// bounded retries, never a hang, and everything works again after a restart.
import { randomBytes } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3, useHarness, type S3Handle } from '@stratus/platform-testing';
import { checksumOf } from '../checksum';
import { ObjectStoreRequestError, ObjectStoreUnavailableError } from '../errors';
import { objectStoreContract } from '../object-store-contract.testkit';
import { openObjectStore } from '../open';
import type { RetryPolicy } from '../retry';
import type { ObjectStore } from '../types';
import type { S3ObjectStore } from './s3-store';

const MIB = 1024 * 1024;
const BUCKET = 'stratus-tiered';
const FAST_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 20, maxDelayMs: 200, budgetMs: 10_000 };

function settings(s3: S3Handle): { endpoint: string; region: string; forcePathStyle: boolean; credentials: { accessKeyId: string; secretAccessKey: string } } {
  return {
    endpoint: s3.endpoint,
    region: s3.region,
    forcePathStyle: true,
    credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
  };
}

/**
 * A server of its own for a test that stops or freezes it: the harness releases what a test
 * started (restarts included) when that test ends, so shared servers must never be restarted.
 */
async function dedicatedStore(retries: string[]): Promise<{ s3: S3Handle; store: ObjectStore }> {
  const s3 = await startS3({ bucket: BUCKET });
  const store = await openObjectStore(`s3://${BUCKET}/faults`, {
    s3: { ...settings(s3), partSize: 5 * MIB, requestTimeoutMs: 2_000, connectionTimeoutMs: 1_000 },
    retry: FAST_RETRY,
    onRetry: (info) => retries.push(info.operation),
  });
  return { s3, store };
}

describe('S3ObjectStore against a real S3 API server', () => {
  useHarness();
  let s3: S3Handle;
  let store: ObjectStore;
  const retries: string[] = [];

  beforeAll(async () => {
    s3 = await startS3({ bucket: BUCKET });
    store = await openObjectStore(`s3://${BUCKET}/contract`, {
      s3: { ...settings(s3), partSize: 5 * MIB, requestTimeoutMs: 2_000, connectionTimeoutMs: 1_000 },
      retry: FAST_RETRY,
      onRetry: (info) => retries.push(info.operation),
    });
  });
  afterAll(async () => {
    await store?.close();
  });

  objectStoreContract({ store: () => store, largeBodyBytes: 11 * MIB + 3, concurrentCreate: 'single-writer' });

  it('finds that s3rver ignores If-None-Match on PUT and emulates conditional create', async () => {
    expect(await (store as S3ObjectStore).conditionalMode()).toBe('emulated');
    // The probe object is cleaned up.
    expect((await store.list('.stratus-probe/')).objects).toEqual([]);
  });

  it('round-trips 20 MiB through a multipart upload of 5 MiB parts, byte for byte', async () => {
    const commands: string[] = [];
    const client = new S3Client({ ...settings(s3), maxAttempts: 1, requestChecksumCalculation: 'WHEN_REQUIRED' });
    client.middlewareStack.add(
      (next, context) => async (args) => {
        commands.push(String(context.commandName));
        return next(args);
      },
      { step: 'initialize' },
    );
    const multipart = await openObjectStore(`s3://${BUCKET}/multipart/`, { s3: { client, partSize: 5 * MIB, conditionalCreate: 'emulated' } });
    const body = randomBytes(20 * MIB);
    const result = await multipart.putIfAbsent('segments/00000000000000000000.log', body);
    expect(result.outcome).toBe('created');
    expect(commands.filter((c) => c === 'UploadPartCommand').length).toBe(4);
    expect(commands).toContain('CreateMultipartUploadCommand');
    expect(commands).toContain('CompleteMultipartUploadCommand');
    expect(commands).not.toContain('PutObjectCommand');
    const back = await multipart.get('segments/00000000000000000000.log', { verifyChecksum: true });
    expect(back.equals(body)).toBe(true);
    // Range reads across part boundaries (5 MiB) and at the very end.
    for (const [start, end] of [
      [5 * MIB - 10, 5 * MIB + 10],
      [15 * MIB - 1, 15 * MIB + 1],
      [20 * MIB - 5, 20 * MIB + 100],
      [0, 1],
    ] as const) {
      expect((await multipart.getRange('segments/00000000000000000000.log', start, end)).equals(body.subarray(start, end))).toBe(true);
    }
    expect(await multipart.head('segments/00000000000000000000.log')).toMatchObject({ size: 20 * MIB, checksum: checksumOf('crc32c', body) });
    await multipart.close();
    client.destroy();
  });

  it('fails with a retriable Unavailable error after bounded retries while the server is down, and recovers after a restart', async () => {
    const { s3, store } = await dedicatedStore(retries);
    const key = 'outage/before';
    const body = randomBytes(1000);
    expect((await store.putIfAbsent(key, body)).outcome).toBe('created');
    await s3.stop();
    retries.length = 0;

    for (const operation of [
      () => store.get(key),
      () => store.getRange(key, 0, 10),
      () => store.head(key),
      () => store.putIfAbsent('outage/during', randomBytes(10)),
      () => store.list('outage/'),
      () => store.delete(key),
    ]) {
      const error = await operation().then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
      expect((error as ObjectStoreUnavailableError).retriable).toBe(true);
      expect((error as ObjectStoreUnavailableError).attempts).toBe(FAST_RETRY.maxAttempts);
    }
    expect(retries.length).toBe(6 * (FAST_RETRY.maxAttempts - 1));

    await s3.restart();
    expect((await store.get(key)).equals(body)).toBe(true);
    expect(await store.head('outage/during')).toBeUndefined();
    expect((await store.putIfAbsent('outage/during', body)).outcome).toBe('created');
    await store.close();
  });

  it('times out against a frozen server (SIGSTOP) instead of hanging, and works once it resumes', async () => {
    const { s3, store } = await dedicatedStore(retries);
    await store.putIfAbsent('frozen/one', Buffer.from('cold data'));
    s3.process.pause();
    try {
      const error = await store.get('frozen/one').then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(error).toBeInstanceOf(ObjectStoreUnavailableError);
      expect(((error as ObjectStoreUnavailableError).cause as Error).name).toBe('TimeoutError');
    } finally {
      s3.process.resume();
    }
    expect((await store.get('frozen/one')).toString()).toBe('cold data');
    await store.close();
  });

  it('leaves nothing visible when the server stops in the middle of a multipart upload; a later upload succeeds', async () => {
    const { s3, store } = await dedicatedStore(retries);
    const key = 'outage/multipart.log';
    const body = randomBytes(16 * MIB);
    const expected = checksumOf('crc32c', body).value;
    async function* stopsAfterFirstPart(): AsyncIterable<Uint8Array> {
      yield body.subarray(0, 6 * MIB); // the first 5 MiB part goes up
      await s3.stop();
      yield body.subarray(6 * MIB);
    }
    await expect(store.putIfAbsent(key, stopsAfterFirstPart(), { checksum: { expected } })).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    await s3.restart();
    expect(await store.head(key)).toBeUndefined();
    expect((await store.putIfAbsent(key, body, { checksum: { expected } })).outcome).toBe('created');
    expect((await store.get(key, { verifyChecksum: true })).equals(body)).toBe(true);
    await store.close();
  });

  it('does not retry requests S3 refuses: wrong credentials, missing bucket', async () => {
    retries.length = 0;
    const wrong = await openObjectStore(`s3://${BUCKET}/x`, {
      s3: { ...settings(s3), credentials: { accessKeyId: 'nobody', secretAccessKey: 'nothing' } },
      retry: FAST_RETRY,
      onRetry: (info) => retries.push(info.operation),
    });
    await expect(wrong.get('k')).rejects.toBeInstanceOf(ObjectStoreRequestError);
    await wrong.close();
    const missing = await openObjectStore('s3://no-such-bucket/x', { s3: settings(s3), retry: FAST_RETRY, onRetry: (info) => retries.push(info.operation) });
    const error = await missing.list('').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ObjectStoreRequestError);
    expect((error as ObjectStoreRequestError).serviceCode).toBe('NoSuchBucket');
    await missing.close();
    expect(retries).toEqual([]);
  });
});
