import { dropBytes, takeBytes } from './file-io';

const bufs = () => [Buffer.from('abc'), Buffer.from('defg'), Buffer.from('hi')];
const str = (b: readonly Uint8Array[]) => Buffer.concat(b).toString();

describe('writev bookkeeping', () => {
  it('dropBytes leaves what a short writev did not write, splitting a buffer where needed', () => {
    expect(str(dropBytes(bufs(), 0))).toBe('abcdefghi');
    expect(str(dropBytes(bufs(), 3))).toBe('defghi');
    expect(dropBytes(bufs(), 3)).toHaveLength(2);
    expect(str(dropBytes(bufs(), 5))).toBe('fghi');
    expect(dropBytes(bufs(), 9)).toEqual([]);
  });

  it('takeBytes keeps the first n bytes (a partial write)', () => {
    expect(str(takeBytes(bufs(), 0))).toBe('');
    expect(str(takeBytes(bufs(), 5))).toBe('abcde');
    expect(str(takeBytes(bufs(), 9))).toBe('abcdefghi');
    expect(str(takeBytes(bufs(), 20))).toBe('abcdefghi');
  });
});
