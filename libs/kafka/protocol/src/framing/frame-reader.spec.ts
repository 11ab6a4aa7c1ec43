import fc from 'fast-check';
import { FrameError } from './frame-error';
import { DEFAULT_MAX_FRAME_BYTES, FrameReader } from './frame-reader';

function frame(body: Buffer): Buffer {
  const out = Buffer.alloc(4 + body.length);
  out.writeInt32BE(body.length, 0);
  body.copy(out, 4);
  return out;
}

function prefix(size: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeInt32BE(size, 0);
  return b;
}

function drain(reader: FrameReader): Buffer[] {
  return [...reader];
}

/** Cuts `data` at the given (unsorted, possibly repeated) positions. */
function split(data: Buffer, cuts: number[]): Buffer[] {
  const points = [...new Set(cuts.map((c) => c % (data.length + 1)))].sort((a, b) => a - b);
  const chunks: Buffer[] = [];
  let start = 0;
  for (const p of points) {
    chunks.push(data.subarray(start, p));
    start = p;
  }
  chunks.push(data.subarray(start));
  return chunks;
}

describe('FrameReader', () => {
  const body = (n: number, fill = 7) => Buffer.alloc(n, fill);

  it('returns several frames from one chunk as zero-copy views', () => {
    const chunk = Buffer.concat([frame(body(10, 1)), frame(body(12, 2)), frame(body(11, 3))]);
    const reader = new FrameReader();
    reader.push(chunk);
    const frames = drain(reader);
    expect(frames.map((f) => f.length)).toEqual([10, 12, 11]);
    expect(frames[1]?.buffer).toBe(chunk.buffer);
    expect(frames[1]?.byteOffset).toBe(chunk.byteOffset + 4 + 10 + 4);
    expect(reader.bufferedBytes).toBe(0);
  });

  it('assembles a frame spanning chunks into one buffer of exactly its size', () => {
    const data = frame(Buffer.from('abcdefghijklmnopqrstuvwxyz'));
    const reader = new FrameReader();
    reader.push(data.subarray(0, 2));
    expect(reader.next()).toBeUndefined();
    reader.push(data.subarray(2, 9));
    expect(reader.next()).toBeUndefined();
    reader.push(data.subarray(9, 20));
    expect(reader.next()).toBeUndefined();
    reader.push(data.subarray(20));
    const f = reader.next();
    expect(f?.toString()).toBe('abcdefghijklmnopqrstuvwxyz');
    expect(f?.length).toBe(26);
    expect(reader.next()).toBeUndefined();
  });

  it('rejects a size above the maximum as soon as the prefix arrives, before the body', () => {
    const reader = new FrameReader({ maxFrameBytes: 1000 });
    reader.push(prefix(1001));
    expect(() => reader.next()).toThrow(FrameError);
    expect(() => reader.next()).toThrow(expect.objectContaining({ reason: 'too-large', size: 1001, limit: 1000 }));
  });

  it('allocates nothing for a refused frame and exactly one frame-sized buffer for a split one', () => {
    const alloc = jest.spyOn(Buffer, 'allocUnsafe');
    const allocSlow = jest.spyOn(Buffer, 'allocUnsafeSlow');
    const zeroed = jest.spyOn(Buffer, 'alloc');
    try {
      const refused = new FrameReader({ maxFrameBytes: 1 << 20 });
      refused.push(prefix(0x7fffffff));
      refused.push(Buffer.alloc(16));
      zeroed.mockClear();
      expect(() => refused.next()).toThrow(FrameError);
      expect(alloc).not.toHaveBeenCalled();
      expect(allocSlow).not.toHaveBeenCalled();
      expect(zeroed).not.toHaveBeenCalled();

      const data = frame(body(5000, 3));
      const reader = new FrameReader();
      reader.push(data.subarray(0, 1000));
      reader.push(data.subarray(1000, 3000));
      reader.push(data.subarray(3000));
      alloc.mockClear();
      expect(reader.next()?.equals(body(5000, 3))).toBe(true);
      expect(alloc).toHaveBeenCalledTimes(1);
      expect(alloc).toHaveBeenCalledWith(5000);
    } finally {
      alloc.mockRestore();
      allocSlow.mockRestore();
      zeroed.mockRestore();
    }
  });

  it('defaults the maximum to 100 MiB', () => {
    const ok = new FrameReader();
    ok.push(prefix(DEFAULT_MAX_FRAME_BYTES));
    expect(ok.next()).toBeUndefined();
    const bad = new FrameReader();
    bad.push(prefix(DEFAULT_MAX_FRAME_BYTES + 1));
    expect(() => bad.next()).toThrow(expect.objectContaining({ reason: 'too-large' }));
  });

  it('rejects negative sizes and sizes below the request header minimum', () => {
    const neg = new FrameReader();
    neg.push(prefix(-1));
    expect(() => neg.next()).toThrow(expect.objectContaining({ reason: 'negative-size', size: -1 }));
    const small = new FrameReader();
    small.push(prefix(9));
    expect(() => small.next()).toThrow(expect.objectContaining({ reason: 'too-small', size: 9, limit: 10 }));
    const exact = new FrameReader();
    exact.push(frame(body(10)));
    expect(exact.next()?.length).toBe(10);
  });

  it('reads a prefix split byte by byte', () => {
    const data = frame(body(300, 9));
    const reader = new FrameReader();
    for (let i = 0; i < 4; i++) reader.push(data.subarray(i, i + 1));
    reader.push(data.subarray(4));
    expect(reader.next()?.equals(body(300, 9))).toBe(true);
  });

  it('allows a smaller minimum for responses, down to empty frames', () => {
    const reader = new FrameReader({ minFrameBytes: 0 });
    reader.push(Buffer.concat([frame(Buffer.alloc(0)), frame(body(4))]));
    expect(drain(reader).map((f) => f.length)).toEqual([0, 4]);
  });

  it('refuses nonsensical options', () => {
    expect(() => new FrameReader({ maxFrameBytes: -1 })).toThrow(RangeError);
    expect(() => new FrameReader({ minFrameBytes: 20, maxFrameBytes: 10 })).toThrow(RangeError);
  });

  it('yields the same frames for any split of the stream into chunks', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ minLength: 10, maxLength: 200 }), { maxLength: 20 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => frame(Buffer.from(b))));
          const reader = new FrameReader({ maxFrameBytes: 200 });
          const got: Buffer[] = [];
          for (const chunk of split(stream, cuts)) {
            reader.push(chunk);
            got.push(...drain(reader));
          }
          expect(got.map((g) => Buffer.from(g).toString('hex'))).toEqual(
            bodies.map((b) => Buffer.from(b).toString('hex')),
          );
          expect(reader.bufferedBytes).toBe(0);
        },
      ),
    );
  });

  it('only ever throws FrameError on arbitrary bytes and stays failed afterwards', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const reader = new FrameReader({ maxFrameBytes: 64 });
        let failed: unknown;
        for (const c of chunks) {
          reader.push(Buffer.from(c));
          try {
            drain(reader);
          } catch (e) {
            failed = e;
            break;
          }
        }
        if (failed !== undefined) {
          expect(failed).toBeInstanceOf(FrameError);
          expect(() => reader.next()).toThrow(failed as Error);
        }
      }),
    );
  });

  it('keeps memory bounded by unconsumed chunks across many small pushes', () => {
    const reader = new FrameReader();
    const data = frame(body(10));
    for (let i = 0; i < 10_000; i++) {
      for (let j = 0; j < data.length; j += 3) reader.push(data.subarray(j, j + 3));
      expect(reader.next()?.length).toBe(10);
    }
    expect(reader.bufferedBytes).toBe(0);
  });
});
