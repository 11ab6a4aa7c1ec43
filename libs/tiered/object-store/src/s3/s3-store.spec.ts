// Paths of the S3 backend that s3rver cannot produce (it never answers 503 SlowDown and ignores
// If-None-Match), driven by a scripted client. The same backend runs against a real server in
// s3-store.int.spec.ts.
import type { S3Client } from '@aws-sdk/client-s3';
import { checksumOf, formatChecksum } from '../checksum';
import { ObjectStoreRequestError, ObjectStoreUnavailableError } from '../errors';
import type { RetryClock } from '../retry';
import { S3ObjectStore } from './s3-store';

type Reply = (input: Record<string, unknown>) => unknown;

function serviceError(name: string, status: number): Error {
  return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
}

/** Answers each command from a per-command script of replies (last one repeats). */
function scriptedClient(script: Record<string, Reply[]>): { client: S3Client; calls: string[] } {
  const calls: string[] = [];
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name;
      calls.push(name);
      const replies = script[name];
      if (!replies || replies.length === 0) throw new Error(`unexpected ${name}`);
      const reply = (replies.length > 1 ? replies.shift() : replies[0]) as Reply;
      return reply(command.input);
    },
    destroy: () => undefined,
  } as unknown as S3Client;
  return { client, calls };
}

const fail = (name: string, status: number): Reply => () => {
  throw serviceError(name, status);
};

function fakeClock(): RetryClock & { slept: number } {
  const clock = { slept: 0, now: () => clock.slept, sleep: async (ms: number) => void (clock.slept += ms) };
  return clock;
}

function storeWith(client: S3Client, mode: 'native' | 'emulated', clock = fakeClock()): S3ObjectStore {
  return new S3ObjectStore({
    client,
    ownsClient: false,
    bucket: 'bucket',
    prefix: 'p/',
    partSize: 5 * 1024 * 1024,
    conditionalCreate: mode,
    call: { policy: { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1000, budgetMs: 60_000 }, clock, random: () => 0.5 },
  });
}

const body = Buffer.from('sealed segment bytes');
const headOf = (data: Buffer): Reply => () => ({
  ContentLength: data.length,
  ETag: '"e"',
  Metadata: { 'stratus-checksum': formatChecksum(checksumOf('crc32c', data)) },
  LastModified: new Date(),
});

describe('S3ObjectStore (scripted client)', () => {
  it('retries 503 SlowDown with backoff, then succeeds', async () => {
    const clock = fakeClock();
    const { client, calls } = scriptedClient({
      PutObjectCommand: [fail('SlowDown', 503), fail('SlowDown', 503), () => ({ ETag: '"x"' })],
      HeadObjectCommand: [headOf(body)],
    });
    const result = await storeWith(client, 'native', clock).putIfAbsent('seg', body);
    expect(result.outcome).toBe('created');
    expect(calls.filter((c) => c === 'PutObjectCommand').length).toBe(3);
    expect(clock.slept).toBe(50 + 100); // full jitter draws 0.5 of 100 then 200
  });

  it('sends If-None-Match: * in native mode and maps 412 to already_exists', async () => {
    const sent: Record<string, unknown>[] = [];
    const { client } = scriptedClient({
      PutObjectCommand: [
        (input) => {
          sent.push(input);
          throw serviceError('PreconditionFailed', 412);
        },
      ],
      HeadObjectCommand: [headOf(body)],
    });
    const result = await storeWith(client, 'native').putIfAbsent('seg', body);
    expect(result).toMatchObject({ outcome: 'already_exists', sameContent: true });
    expect(sent[0]).toMatchObject({ Bucket: 'bucket', Key: 'p/seg', IfNoneMatch: '*' });
    expect(typeof sent[0]?.['ContentMD5']).toBe('string');
  });

  it('treats a retried Complete whose first attempt landed (NoSuchUpload) as created when the object is ours', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 7);
    const { client, calls } = scriptedClient({
      CreateMultipartUploadCommand: [() => ({ UploadId: 'u1' })],
      UploadPartCommand: [() => ({ ETag: '"part"' })],
      CompleteMultipartUploadCommand: [fail('InternalError', 500), fail('NoSuchUpload', 404)],
      HeadObjectCommand: [headOf(big)],
    });
    const result = await storeWith(client, 'native').putIfAbsent('big', big);
    expect(result.outcome).toBe('created');
    expect(calls).not.toContain('AbortMultipartUploadCommand');
    expect(calls.filter((c) => c === 'UploadPartCommand').length).toBe(2);
  });

  it('aborts the multipart upload when a part keeps failing, and reports Unavailable', async () => {
    const big = Buffer.alloc(11 * 1024 * 1024, 1);
    const { client, calls } = scriptedClient({
      CreateMultipartUploadCommand: [() => ({ UploadId: 'u1' })],
      UploadPartCommand: [() => ({ ETag: '"a"' }), fail('ServiceUnavailable', 503)],
      AbortMultipartUploadCommand: [() => ({})],
    });
    await expect(storeWith(client, 'native').putIfAbsent('big', big)).rejects.toBeInstanceOf(ObjectStoreUnavailableError);
    expect(calls).toContain('AbortMultipartUploadCommand');
    expect(calls).not.toContain('CompleteMultipartUploadCommand');
  });

  it('does not retry 403 and reports the service code', async () => {
    const { client, calls } = scriptedClient({ GetObjectCommand: [fail('AccessDenied', 403)] });
    const error = await storeWith(client, 'native').get('seg').then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(ObjectStoreRequestError);
    expect((error as ObjectStoreRequestError).serviceCode).toBe('AccessDenied');
    expect(calls).toEqual(['GetObjectCommand']);
  });

  it('rejects a part whose returned MD5 ETag differs from what was sent', async () => {
    const big = Buffer.alloc(6 * 1024 * 1024, 2);
    const { client, calls } = scriptedClient({
      CreateMultipartUploadCommand: [() => ({ UploadId: 'u1' })],
      UploadPartCommand: [() => ({ ETag: '"00000000000000000000000000000000"' })],
      AbortMultipartUploadCommand: [() => ({})],
    });
    await expect(storeWith(client, 'native').putIfAbsent('big', big)).rejects.toMatchObject({ code: 'checksum_mismatch' });
    expect(calls).toContain('AbortMultipartUploadCommand');
  });
});
