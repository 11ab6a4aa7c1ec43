import fc from 'fast-check';
import {
  InvalidTenantIdError,
  coordinatorPartition,
  groupIdForTenant,
  internalGroupId,
  murmur2,
  splitInternalGroupId,
  systemTenantName,
  toPositive,
} from './index';

// kafkajs ships Kafka's murmur2 for its Java-compatible default partitioner: an independent
// implementation to compare against.
const kafkajsMurmur2 = require('kafkajs/src/producer/partitioners/default/murmur2') as (key: Buffer | string) => number;

describe('murmur2', () => {
  it('matches the values Kafka documents in its UtilsTest', () => {
    const cases: [string, number][] = [
      ['21', -973932308],
      ['foobar', -790332482],
      ['a-little-bit-long-string', -985981536],
      ['a-little-bit-longer-string', -1486304829],
      ['lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8', -58897971],
      ['abc', 479470107],
    ];
    for (const [s, h] of cases) expect(murmur2(Buffer.from(s, 'utf8'))).toBe(h);
  });

  it('agrees with kafkajs on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(murmur2(bytes)).toBe(kafkajsMurmur2(Buffer.from(bytes)) | 0);
      }),
    );
  });

  it('toPositive clears the sign bit, also of INT32_MIN', () => {
    expect(toPositive(-2147483648)).toBe(0);
    expect(toPositive(-1)).toBe(0x7fffffff);
    expect(toPositive(5)).toBe(5);
  });
});

describe('internal group ids', () => {
  it('prefix the tenant and split back, keeping slashes inside the group id', () => {
    const id = internalGroupId('t-42', 'team/a/b');
    expect(id).toBe('t-42/team/a/b');
    expect(splitInternalGroupId(id)).toEqual({ tenantId: 't-42', groupId: 'team/a/b' });
    expect(internalGroupId('t', '')).toBe('t/');
    expect(splitInternalGroupId('t/')).toEqual({ tenantId: 't', groupId: '' });
  });

  it('refuse tenant ids that would make the mapping ambiguous', () => {
    expect(() => internalGroupId('', 'g')).toThrow(InvalidTenantIdError);
    expect(() => internalGroupId('a/b', 'g')).toThrow(InvalidTenantIdError);
  });

  it('only give a tenant back its own group ids', () => {
    expect(groupIdForTenant('a', 'a/g')).toBe('g');
    expect(groupIdForTenant('a', 'ab/g')).toBeUndefined();
    expect(groupIdForTenant('a', 'b/a/g')).toBeUndefined();
    expect(groupIdForTenant('a', 'no-separator')).toBeUndefined();
    expect(splitInternalGroupId('/g')).toBeUndefined();
  });

  it('round-trip for any tenant and group id', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }).filter((t) => !t.includes('/')), fc.string(), (tenant, group) => {
        expect(groupIdForTenant(tenant, internalGroupId(tenant, group))).toBe(group);
      }),
    );
  });
});

describe('coordinatorPartition', () => {
  it('is the Kafka default-partitioner partition of the internal id', () => {
    const key = 't-42/orders-consumers';
    expect(coordinatorPartition(key, 16)).toBe(toPositive(kafkajsMurmur2(Buffer.from(key)) | 0) % 16);
  });

  it('stays in range and depends on the tenant', () => {
    fc.assert(
      fc.property(fc.string(), fc.integer({ min: 1, max: 1000 }), (key, n) => {
        const p = coordinatorPartition(key, n);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThan(n);
      }),
    );
    const partitions = new Set(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((t) => coordinatorPartition(internalGroupId(t, 'same-group'), 64)));
    expect(partitions.size).toBeGreaterThan(1);
  });

  it('refuses a partition count that is not a positive int32', () => {
    for (const n of [0, -1, 1.5, Number.NaN, 2 ** 31]) expect(() => coordinatorPartition('t/g', n)).toThrow(RangeError);
  });
});

describe('systemTenantName', () => {
  it('is a valid tenant name (letter first, [a-zA-Z0-9._-]) per cell', () => {
    expect(systemTenantName('cell-1')).toBe('stratus-internal-cell-1');
    expect(systemTenantName('eu.west_1')).toMatch(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,63}$/);
  });
});
