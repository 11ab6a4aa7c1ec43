import { bytes, json, keyValues, table, timestamp } from './format';

describe('format', () => {
  it('aligns table columns, upper-cases headers, shows missing cells as -', () => {
    expect(table(['name', 'id', 'state'], [['acme', 'lkc-1', 'ACTIVE'], ['globex-long', undefined, '']])).toBe(
      ['NAME         ID     STATE', 'acme         lkc-1  ACTIVE', 'globex-long  -      -', ''].join('\n'),
    );
    expect(table(['a'], [], { empty: 'No tenants.' })).toBe('No tenants.\n');
  });

  it('aligns key/value blocks', () => {
    expect(keyValues([['Name', 'acme'], ['Partitions', 3], ['Labels', '']])).toBe('Name:        acme\nPartitions:  3\nLabels:      -\n');
  });

  it('emits JSON without bigint: exact values as numbers, larger ones as strings', () => {
    const parsed = JSON.parse(json({ small: 5n, huge: 2n ** 60n, bytes: Buffer.from([1, 255]), nested: [{ x: undefined, y: 1 }] })) as unknown;
    expect(parsed).toEqual({ small: 5, huge: '1152921504606846976', bytes: '01ff', nested: [{ y: 1 }] });
    expect(json([])).toBe('[]\n');
  });

  it('formats times and byte sizes', () => {
    expect(timestamp(0n)).toBe('-');
    expect(timestamp(1_700_000_000_000n)).toBe('2023-11-14T22:13:20.000Z');
    expect(bytes(10 * 1024 * 1024)).toBe('10 MiB');
    expect(bytes(1536)).toBe('1.5 KiB');
    expect(bytes(12)).toBe('12 B');
  });
});
