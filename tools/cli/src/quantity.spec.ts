import { UsageError } from './errors';
import { parseLabels, parseQuantity } from './quantity';

describe('parseQuantity', () => {
  it.each([
    ['0', 0],
    ['1500', 1500],
    ['10MiB', 10 * 1024 * 1024],
    ['10mib', 10 * 1024 * 1024],
    ['1.5GB', 1.5e9],
    ['2Ki', 2048],
    ['3 TiB', 3 * 2 ** 40],
  ])('reads %s', (text, value) => {
    expect(parseQuantity('x', text)).toBe(value);
  });

  it.each(['-1', 'abc', '1.5', '10XB', '', '1e3', String(2 ** 60)])('rejects %j with a usage error naming the flag', (text) => {
    expect(() => parseQuantity('max-topics', text)).toThrow(UsageError);
    expect(() => parseQuantity('max-topics', text)).toThrow(/--max-topics/);
  });
});

describe('parseLabels', () => {
  it('reads key=value pairs; a value may contain =', () => {
    expect(parseLabels(['plan=pro', 'q=a=b', 'empty='])).toEqual({ plan: 'pro', q: 'a=b', empty: '' });
    expect(() => parseLabels(['novalue'])).toThrow(UsageError);
    expect(() => parseLabels(['=x'])).toThrow(/key=value/);
  });
});
