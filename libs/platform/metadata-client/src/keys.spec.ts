import { nodeKey, partitionKey, partitionRefKey, tenantKey, topicIdHex, topicKey } from './keys';

describe('cache keys', () => {
  const bytes = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
  it('topic ids are lowercase hex whether given as bytes, TopicId or a dashed UUID', () => {
    expect(topicIdHex(bytes)).toBe('00112233445566778899aabbccddeeff');
    expect(topicKey({ value: bytes })).toBe('00112233445566778899aabbccddeeff');
    expect(topicKey('00112233-4455-6677-8899-AABBCCDDEEFF')).toBe('00112233445566778899aabbccddeeff');
    expect(topicIdHex(bytes.subarray(0, 16))).toBe(topicIdHex(new Uint8Array(bytes)));
  });
  it('partition keys join the topic key and the index', () => {
    expect(partitionKey(bytes, 3)).toBe('00112233445566778899aabbccddeeff/3');
    expect(partitionRefKey({ topicId: { value: bytes }, partition: 0 })).toBe('00112233445566778899aabbccddeeff/0');
  });
  it('nodes and tenants are keyed by their ids', () => {
    expect(nodeKey('broker-1')).toBe('broker-1');
    expect(tenantKey({ value: 't1' })).toBe('t1');
    expect(tenantKey('t2')).toBe('t2');
  });
});
