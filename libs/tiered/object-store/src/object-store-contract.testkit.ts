// One contract suite every ObjectStore backend must pass: memory and folder in unit tests, a real
// S3 API server in integration tests. Each test works under its own key prefix, so a backend can
// be shared by the whole suite.
import { randomBytes } from 'node:crypto';
import { checksumOf } from './checksum';
import { ChecksumMismatchError, ObjectNotFoundError, ObjectStoreArgumentError } from './errors';
import { listAll, type ObjectStore } from './types';

export interface ContractOptions {
  /** Returns the store under test (created in beforeAll by the caller). */
  readonly store: () => ObjectStore;
  /** A body size that exercises the backend's large-object path (multipart on S3). */
  readonly largeBodyBytes: number;
  /**
   * 'exclusive': of concurrent creates of one key exactly one wins. 'single-writer': the backend
   * only promises that no torn object results (S3 servers without If-None-Match support).
   */
  readonly concurrentCreate: 'exclusive' | 'single-writer';
}

let counter = 0;
const uniquePrefix = (): string => `c${Date.now().toString(36)}-${++counter}/`;

async function* chunked(data: Buffer, sizes: number[]): AsyncIterable<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] as number;
    yield data.subarray(offset, offset + size);
    offset += size;
  }
}

export function objectStoreContract(options: ContractOptions): void {
  const store = (): ObjectStore => options.store();

  it('creates an object once and reports it as existing afterwards, without overwriting', async () => {
    const key = `${uniquePrefix()}segment.log`;
    const body = randomBytes(1000);
    const first = await store().putIfAbsent(key, body);
    expect(first.outcome).toBe('created');
    if (first.outcome !== 'created') return;
    expect(first.meta).toMatchObject({ key, size: 1000, checksum: checksumOf('crc32c', body) });

    const same = await store().putIfAbsent(key, body);
    expect(same).toMatchObject({ outcome: 'already_exists', sameContent: true });
    const other = await store().putIfAbsent(key, randomBytes(1000));
    expect(other).toMatchObject({ outcome: 'already_exists', sameContent: false });
    expect((await store().get(key)).equals(body)).toBe(true);

    const meta = await store().head(key);
    expect(meta).toMatchObject({ key, size: 1000, checksum: { algorithm: 'crc32c', value: checksumOf('crc32c', body).value } });
    expect(meta?.etag).toBe(first.meta.etag);
    // fs returns Dates from another realm under Jest, so check behaviour rather than instanceof.
    expect(Math.abs((meta?.lastModified.getTime() ?? 0) - Date.now())).toBeLessThan(24 * 3600 * 1000);
  });

  it('reports missing objects: head undefined, get and getRange NotFound', async () => {
    const key = `${uniquePrefix()}missing`;
    expect(await store().head(key)).toBeUndefined();
    await expect(store().get(key)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store().getRange(key, 0, 10)).rejects.toBeInstanceOf(ObjectNotFoundError);
    await expect(store().getRange(key, 0, 0)).rejects.toBeInstanceOf(ObjectNotFoundError);
  });

  it('serves byte ranges with exclusive ends, clamped to the object', async () => {
    const key = `${uniquePrefix()}ranges`;
    const body = randomBytes(4096);
    await store().putIfAbsent(key, body);
    const cases: [number, number][] = [
      [0, 0],
      [0, 1],
      [0, 4096],
      [1, 4095],
      [4095, 4096],
      [1000, 3000],
      [4000, 9999], // end past the object: clamped
      [4096, 5000], // start at the end: empty
      [9000, 9100], // start past the end: empty
    ];
    for (const [start, end] of cases) {
      const got = await store().getRange(key, start, end);
      expect({ start, end, bytes: got.toString('hex') }).toEqual({ start, end, bytes: body.subarray(start, end).toString('hex') });
    }
    await expect(store().getRange(key, -1, 10)).rejects.toBeInstanceOf(ObjectStoreArgumentError);
    await expect(store().getRange(key, 10, 5)).rejects.toBeInstanceOf(ObjectStoreArgumentError);
    await expect(store().getRange(key, 0.5, 5)).rejects.toBeInstanceOf(ObjectStoreArgumentError);
  });

  it('stores empty objects', async () => {
    const key = `${uniquePrefix()}empty`;
    expect((await store().putIfAbsent(key, Buffer.alloc(0))).outcome).toBe('created');
    expect((await store().get(key)).length).toBe(0);
    expect((await store().getRange(key, 0, 10)).length).toBe(0);
    expect(await store().head(key)).toMatchObject({ size: 0, checksum: checksumOf('crc32c', Buffer.alloc(0)) });
  });

  it('uploads a large streamed body with its expected checksum, byte for byte', async () => {
    const key = `${uniquePrefix()}large`;
    const body = randomBytes(options.largeBodyBytes);
    const expected = checksumOf('crc32c', body).value;
    const result = await store().putIfAbsent(key, chunked(body, [65_536, 1, 333_333, 1_000_003]), { checksum: { expected } });
    expect(result.outcome).toBe('created');
    const back = await store().get(key, { verifyChecksum: true });
    expect(back.length).toBe(body.length);
    expect(back.equals(body)).toBe(true);
    const middle = Math.floor(body.length / 2);
    expect((await store().getRange(key, middle - 7, middle + 7)).equals(body.subarray(middle - 7, middle + 7))).toBe(true);
    expect(await store().head(key)).toMatchObject({ size: body.length, checksum: { algorithm: 'crc32c', value: expected } });
  });

  it('uploads a large single buffer', async () => {
    const key = `${uniquePrefix()}large-buffer`;
    const body = randomBytes(options.largeBodyBytes);
    expect((await store().putIfAbsent(key, body)).outcome).toBe('created');
    expect((await store().get(key)).equals(body)).toBe(true);
  });

  it('refuses a body whose checksum differs from the expected one, leaving nothing behind', async () => {
    const key = `${uniquePrefix()}bad`;
    const body = randomBytes(2048);
    const wrong = (checksumOf('crc32c', body).value === '00000000' ? '00000001' : '00000000');
    await expect(store().putIfAbsent(key, body, { checksum: { expected: wrong } })).rejects.toBeInstanceOf(ChecksumMismatchError);
    const streamed = chunked(randomBytes(options.largeBodyBytes), [1_000_000]);
    await expect(store().putIfAbsent(key, streamed, { checksum: { expected: wrong } })).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect(await store().head(key)).toBeUndefined();
    // The key is still free for the right bytes.
    expect((await store().putIfAbsent(key, body)).outcome).toBe('created');
  });

  it('records SHA-256 when asked and validates expected checksums', async () => {
    const key = `${uniquePrefix()}sha`;
    const body = randomBytes(300);
    const sha = checksumOf('sha256', body);
    await store().putIfAbsent(key, body, { checksum: { algorithm: 'sha256', expected: sha.value.toUpperCase() } });
    expect((await store().head(key))?.checksum).toEqual(sha);
    await expect(store().putIfAbsent(`${key}2`, body, { checksum: { expected: 'xyz' } })).rejects.toBeInstanceOf(ObjectStoreArgumentError);
    await expect(store().putIfAbsent(`${key}3`, chunked(body, [100]))).rejects.toBeInstanceOf(ObjectStoreArgumentError);
  });

  it('rejects invalid keys', async () => {
    for (const key of ['', '/abs', 'a//b', 'trailing/', '../escape', 'a/./b', 'nul\0byte', 'x'.repeat(1025)]) {
      await expect(store().putIfAbsent(key, Buffer.from('x'))).rejects.toBeInstanceOf(ObjectStoreArgumentError);
      await expect(store().head(key)).rejects.toBeInstanceOf(ObjectStoreArgumentError);
    }
  });

  it('keeps keys that are prefixes of each other and keys with unusual characters apart', async () => {
    const prefix = uniquePrefix();
    const keys = ['a', 'a/b', 'a.obj', 'a.obj/c', 'sp ace', 'per%cent', 'ünï', 'dots..x', 'a/b/c'];
    for (const key of keys) await store().putIfAbsent(prefix + key, Buffer.from(key));
    for (const key of keys) expect((await store().get(prefix + key)).toString()).toBe(key);
    const listed = [];
    for await (const entry of listAll(store(), prefix)) listed.push(entry.key.slice(prefix.length));
    // Order across nesting levels is the backend's (byte order on S3, memory and folder; walk
    // order on s3rver), so compare as sets here.
    expect(listed.sort()).toEqual([...keys].sort());
  });

  it('lists by prefix in byte order, page by page', async () => {
    const prefix = uniquePrefix();
    const keys = ['seg/001', 'seg/002', 'seg/010', 'seg/1', 'seg/2/x', 'other'];
    for (const key of keys) await store().putIfAbsent(prefix + key, Buffer.alloc(key.length, 1));
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await store().list(`${prefix}seg/0`, { pageSize: 2, token });
      expect(page.objects.length).toBeLessThanOrEqual(2);
      seen.push(...page.objects.map((o) => o.key));
      token = page.nextToken;
      pages++;
    } while (token !== undefined);
    expect(seen).toEqual([`${prefix}seg/001`, `${prefix}seg/002`, `${prefix}seg/010`]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const all = await store().list(prefix);
    expect(all.objects.map((o) => [o.key.slice(prefix.length), o.size])).toEqual(
      [...keys].sort().map((key) => [key, key.length]),
    );
    expect(all.nextToken).toBeUndefined();
    expect((await store().list(`${prefix}nothing`)).objects).toEqual([]);
    await expect(store().list(prefix, { pageSize: 0 })).rejects.toBeInstanceOf(ObjectStoreArgumentError);
  });

  it('deletes idempotently, by key and by prefix, and a deleted key can be created again', async () => {
    const prefix = uniquePrefix();
    for (let i = 0; i < 7; i++) await store().putIfAbsent(`${prefix}t/${i}`, Buffer.from([i]));
    await store().putIfAbsent(`${prefix}keep`, Buffer.from('k'));
    await store().delete(`${prefix}t/0`);
    await store().delete(`${prefix}t/0`);
    await store().delete(`${prefix}never-existed`);
    expect(await store().head(`${prefix}t/0`)).toBeUndefined();
    expect(await store().deletePrefix(`${prefix}t/`)).toBe(6);
    expect(await store().deletePrefix(`${prefix}t/`)).toBe(0);
    expect((await store().list(prefix)).objects.map((o) => o.key)).toEqual([`${prefix}keep`]);
    expect((await store().putIfAbsent(`${prefix}t/3`, Buffer.from('again'))).outcome).toBe('created');
    expect((await store().get(`${prefix}t/3`)).toString()).toBe('again');
  });

  if (options.concurrentCreate === 'exclusive') {
    it('lets exactly one of several racing creates of one key win, never leaving a torn object', async () => {
      const key = `${uniquePrefix()}race`;
      const bodies = [0, 1, 2, 3].map(() => randomBytes(10_000));
      const results = await Promise.all(bodies.map((body) => store().putIfAbsent(key, body)));
      const stored = await store().get(key, { verifyChecksum: true });
      const winners = bodies.filter((_, i) => results[i]?.outcome === 'created');
      expect(winners.length).toBe(1);
      expect(winners[0]?.equals(stored)).toBe(true);
      for (const [i, result] of results.entries()) {
        if (result.outcome === 'already_exists') expect(result.sameContent).toBe(bodies[i]?.equals(stored));
      }
    });
  } else {
    // Without a server-side condition, only one writer per key is safe (docs/tiered-storage.md);
    // what that writer needs is that repeating an upload, e.g. after a lost answer, is harmless.
    it('treats a repeated upload by the single writer of a key as already there with the same content', async () => {
      const key = `${uniquePrefix()}repeat`;
      const body = randomBytes(10_000);
      expect((await store().putIfAbsent(key, body)).outcome).toBe('created');
      for (let i = 0; i < 3; i++) expect(await store().putIfAbsent(key, body)).toMatchObject({ outcome: 'already_exists', sameContent: true });
      expect((await store().get(key, { verifyChecksum: true })).equals(body)).toBe(true);
    });
  }
}
