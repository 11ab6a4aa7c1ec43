import { tenantTopicCatalog, uuidText } from './topic-catalog';

const id = (n: number) => ({ value: new Uint8Array(16).fill(n) });

describe('tenantTopicCatalog', () => {
  it('keeps the tenant’s live client topics, ids in UUID text', () => {
    const catalog = tenantTopicCatalog(
      [
        { tenantId: { value: 'ta' }, topicId: id(1), name: 'orders', partitionCount: 6, internal: false, state: 1 },
        { tenantId: { value: 'ta' }, topicId: id(2), name: 'old', partitionCount: 1, internal: false, state: 2 },
        { tenantId: { value: 'ta' }, topicId: id(3), name: '__stratus_offsets', partitionCount: 16, internal: true, state: 1 },
        { tenantId: { value: 'tb' }, topicId: id(4), name: 'theirs', partitionCount: 3, internal: false, state: 1 },
      ],
      'ta',
    );
    expect([...catalog.values()]).toEqual([{ id: '01010101-0101-0101-0101-010101010101', name: 'orders', partitions: 6 }]);
    expect(uuidText(Buffer.from('00112233445566778899aabbccddeeff', 'hex'))).toBe('00112233-4455-6677-8899-aabbccddeeff');
  });
});
