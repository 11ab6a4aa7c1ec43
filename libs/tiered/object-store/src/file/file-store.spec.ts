import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, utimes, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checksumOf } from '../checksum';
import { ChecksumMismatchError, ObjectStoreArgumentError } from '../errors';
import { objectStoreContract } from '../object-store-contract.testkit';
import { FileObjectStore } from './file-store';
import { objectPath } from './file-layout';

describe('FileObjectStore', () => {
  let root: string;
  let store: FileObjectStore;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'stratus-file-store-'));
    store = await FileObjectStore.open(root);
  });
  afterAll(async () => {
    await store.close();
    await rm(root, { recursive: true, force: true });
  });

  objectStoreContract({ store: () => store, largeBodyBytes: 3 * 1024 * 1024 + 17, concurrentCreate: 'exclusive' });

  it('keeps objects across a reopen (what a restarted process sees)', async () => {
    const body = randomBytes(5000);
    await store.putIfAbsent('persist/one', body);
    const again = await FileObjectStore.open(root);
    expect((await again.get('persist/one', { verifyChecksum: true })).equals(body)).toBe(true);
    expect((await again.putIfAbsent('persist/one', body)).outcome).toBe('already_exists');
  });

  it('publishes nothing when the body stream fails half way, and leaves no temp file', async () => {
    const expected = checksumOf('crc32c', Buffer.alloc(10)).value;
    async function* failing(): AsyncIterable<Uint8Array> {
      yield Buffer.alloc(1024 * 1024);
      throw new Error('disk read failed');
    }
    await expect(store.putIfAbsent('partial/one', failing(), { checksum: { expected } })).rejects.toThrow('disk read failed');
    expect(await store.head('partial/one')).toBeUndefined();
    expect(await readdir(join(root, 'tmp'))).toEqual([]);
  });

  it('sweeps stale temp files left by a crash at open, and keeps fresh ones', async () => {
    const stale = join(root, 'tmp', 'crashed.part');
    const fresh = join(root, 'tmp', 'in-flight.part');
    await writeFile(stale, 'half an upload');
    await writeFile(fresh, 'someone else is writing');
    const old = new Date(Date.now() - 2 * 60 * 60 * 1000);
    await utimes(stale, old, old);
    await FileObjectStore.open(root);
    expect((await readdir(join(root, 'tmp'))).sort()).toEqual(['in-flight.part']);
    await rm(fresh);
  });

  it('detects a damaged object file: flipped body byte on a verified read, broken trailer always', async () => {
    const body = randomBytes(4000);
    await store.putIfAbsent('rot/one', body);
    const path = objectPath(join(root, 'objects'), 'rot/one');
    const raw = await readFile(path);
    raw[17] = (raw[17] as number) ^ 0xff;
    await writeFile(path, raw);
    await expect(store.get('rot/one', { verifyChecksum: true })).rejects.toBeInstanceOf(ChecksumMismatchError);
    await writeFile(path, raw.subarray(0, raw.length - 3));
    await expect(store.head('rot/one')).rejects.toBeInstanceOf(ChecksumMismatchError);
    await expect(store.getRange('rot/one', 0, 10)).rejects.toBeInstanceOf(ChecksumMismatchError);
  });

  it('ignores foreign files in the objects folder and rejects over-long key segments', async () => {
    await mkdir(join(root, 'objects', 'foreign'), { recursive: true });
    await writeFile(join(root, 'objects', 'foreign', 'README'), 'not an object');
    expect((await store.list('foreign/')).objects).toEqual([]);
    await expect(store.putIfAbsent(`long/${'x'.repeat(300)}`, Buffer.from('x'))).rejects.toBeInstanceOf(ObjectStoreArgumentError);
  });

  it('removes directories a delete leaves empty', async () => {
    await store.putIfAbsent('prune/a/b/c', Buffer.from('x'));
    await store.delete('prune/a/b/c');
    expect(await readdir(join(root, 'objects'))).not.toContain('prune');
  });
});
