import { partitionPrefix, segmentId, segmentObjectKey } from './layout';
import { ADDRESS } from './memory-ports.testkit';

describe('object key layout', () => {
  it('is deterministic, sorts by offset and names tenant, topic id and partition', () => {
    const key = segmentObjectKey(ADDRESS, { baseOffset: 42n, endOffset: 100n, crc32c: 0xbeef });
    expect(key).toBe('lkc-test/00112233445566778899aabbccddeeff/2/00000000000000000042-00000000000000000100-0000beef.log');
    expect(segmentId({ baseOffset: 9n, endOffset: 10n, crc32c: 1 }) < segmentId({ baseOffset: 10n, endOffset: 11n, crc32c: 0 })).toBe(true);
    expect(key.startsWith(partitionPrefix(ADDRESS))).toBe(true);
  });

  it('refuses ids that would escape their prefix', () => {
    expect(() => partitionPrefix({ ...ADDRESS, tenantId: 'a/b' })).toThrow(RangeError);
    expect(() => partitionPrefix({ ...ADDRESS, topicId: Buffer.alloc(3) })).toThrow(RangeError);
    expect(() => partitionPrefix({ ...ADDRESS, partition: -1 })).toThrow(RangeError);
  });
});
