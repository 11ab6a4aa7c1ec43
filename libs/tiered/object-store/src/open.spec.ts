import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidObjectStoreUrlError, ObjectStoreConfigError } from './errors';
import { FileObjectStore } from './file/file-store';
import { MemoryObjectStore } from './memory/memory-store';
import { openObjectStore } from './open';
import { S3ObjectStore } from './s3/s3-store';

describe('openObjectStore', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'stratus-open-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('opens memory://', async () => {
    const store = await openObjectStore('memory://unit');
    expect(store).toBeInstanceOf(MemoryObjectStore);
    expect(store.description).toBe('memory://unit');
  });

  it('opens file:///abs/path and file:relative against baseDir', async () => {
    const absolute = await openObjectStore(`file://${dir}/abs`);
    expect(absolute).toBeInstanceOf(FileObjectStore);
    expect(absolute.description).toBe(`file://${dir}/abs`);
    const relative = await openObjectStore('file:data/objects', { baseDir: dir });
    expect(relative.description).toBe(`file://${dir}/data/objects`);
    await relative.putIfAbsent('k', Buffer.from('v'));
    expect((await (await openObjectStore(`file://${dir}/data/objects`)).get('k')).toString()).toBe('v');
  });

  it('opens s3://bucket/prefix with settings from options or the query string (no network until used)', async () => {
    const store = await openObjectStore('s3://my-bucket/tenants/segments?endpoint=http://127.0.0.1:9000&forcePathStyle=true&region=eu-west-1', {
      s3: { credentials: { accessKeyId: 'a', secretAccessKey: 'b' } },
    });
    expect(store).toBeInstanceOf(S3ObjectStore);
    expect(store.description).toBe('s3://my-bucket/tenants/segments/');
    await store.close();
    const bare = await openObjectStore('s3://my-bucket', { s3: { region: 'us-east-1', conditionalCreate: 'native' } });
    expect(bare.description).toBe('s3://my-bucket/');
    expect(await (bare as S3ObjectStore).conditionalMode()).toBe('native');
    await bare.close();
  });

  it.each([
    ['', 'empty'],
    ['ftp://host/x', 'scheme'],
    ['file://otherhost/x', 'host'],
    ['file:///', '/'],
    ['file:///x?y=1', 'query'],
    ['s3://', 'bucket'],
    ['s3://UPPER/x', 'bucket'],
    ['s3://ab/x', 'bucket'],
    ['s3://bucket:9000/x', 'bucket'],
    ['s3://key:secret@bucket/x', 'credentials'],
    ['s3://bucket/a//b', 'empty segment'],
    ['s3://bucket/x?colour=blue', 'unknown parameter'],
    ['s3://bucket/x?forcePathStyle=yes', 'true or false'],
    ['s3://bucket/x?partSize=big', 'whole number'],
    ['s3://bucket/x?conditionalCreate=maybe', 'auto, native or emulated'],
  ])('rejects %j (%s)', async (url, reason) => {
    const error = await openObjectStore(url).then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(error).toBeInstanceOf(InvalidObjectStoreUrlError);
    expect((error as Error).message).toContain(reason);
  });

  it('never echoes credentials from a URL into the error', async () => {
    await expect(openObjectStore('s3://key:topsecret@bucket/x')).rejects.toThrow(/^(?!.*topsecret)/s);
  });

  it('rejects part sizes S3 would refuse, bad endpoints and bad retry policies', async () => {
    await expect(openObjectStore('s3://bucket/x', { s3: { partSize: 1024 } })).rejects.toBeInstanceOf(ObjectStoreConfigError);
    await expect(openObjectStore('s3://bucket/x?partSize=6000000000')).rejects.toBeInstanceOf(ObjectStoreConfigError);
    await expect(openObjectStore('s3://bucket/x', { s3: { endpoint: 'localhost:9000' } })).rejects.toBeInstanceOf(ObjectStoreConfigError);
    await expect(
      openObjectStore('s3://bucket/x', { retry: { maxAttempts: 0, baseDelayMs: 1, maxDelayMs: 1, budgetMs: 1 } }),
    ).rejects.toBeInstanceOf(ObjectStoreConfigError);
  });
});
