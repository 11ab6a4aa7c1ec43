import { randomBytes } from 'node:crypto';
import { ChecksumMismatchError } from '../errors';
import { objectStoreContract } from '../object-store-contract.testkit';
import { MemoryObjectStore } from './memory-store';

describe('MemoryObjectStore', () => {
  const store = new MemoryObjectStore({ name: 'unit' });
  objectStoreContract({ store: () => store, largeBodyBytes: 3 * 1024 * 1024 + 17, concurrentCreate: 'exclusive' });

  it('detects corruption on a verified read', async () => {
    const body = randomBytes(100);
    await store.putIfAbsent('rot/one', body);
    store.corruptForTest('rot/one', 42);
    await expect(store.get('rot/one', { verifyChecksum: true })).rejects.toBeInstanceOf(ChecksumMismatchError);
    expect((await store.get('rot/one')).equals(body)).toBe(false);
  });

  it('copies the caller buffer, so later changes to it do not leak into the store', async () => {
    const body = Buffer.from('stable');
    await store.putIfAbsent('copy/one', body);
    body.write('XXXXXX');
    expect((await store.get('copy/one')).toString()).toBe('stable');
  });
});
