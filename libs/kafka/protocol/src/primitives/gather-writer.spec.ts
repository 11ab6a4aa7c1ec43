import fc from 'fast-check';
import { ProtocolEncodeError } from './errors';
import { GatherWriter } from './gather-writer';
import { sizeOfCompactBytes, sizeOfString, sizeOfUnsignedVarint } from './sizes';
import { Writer } from './writer';

/** One write and the bytes it takes, so a test can run the same fill on both writers. */
type Op = { size: number; apply: (w: Writer) => void };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((v) => ({ size: 4, apply: (w: Writer) => w.writeInt32(v) })),
  fc.integer({ min: 0, max: 0xffffffff }).map((v) => ({ size: sizeOfUnsignedVarint(v), apply: (w: Writer) => w.writeUnsignedVarint(v) })),
  fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }).map((v) => ({ size: 8, apply: (w: Writer) => w.writeInt64(v) })),
  fc.string({ maxLength: 40 }).map((v) => ({ size: sizeOfString(v), apply: (w: Writer) => w.writeString(v) })),
  fc.uint8Array({ maxLength: 300 }).map((v) => ({ size: sizeOfCompactBytes(v), apply: (w: Writer) => w.writeCompactBytes(v) })),
);

function fill(w: Writer, ops: readonly Op[]): void {
  for (const op of ops) op.apply(w);
}

describe('GatherWriter', () => {
  it('produces exactly the bytes Writer does, in parts, for any fill', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), fc.integer({ min: 1, max: 64 }), fc.integer({ min: 1, max: 512 }), (ops, gatherFromBytes, chunkBytes) => {
        const size = ops.reduce((n, op) => n + op.size, 0);
        const plain = Writer.alloc(size);
        fill(plain, ops);
        const gather = new GatherWriter(size, { gatherFromBytes, chunkBytes });
        fill(gather, ops);
        const parts = gather.finishParts();
        expect(Buffer.concat(parts)).toEqual(plain.finish());
        expect(parts.every((p) => p.length > 0)).toBe(true);
      }),
    );
  });

  it('references byte fields from the threshold up instead of copying them', () => {
    const records = Buffer.alloc(20_000, 7);
    const small = Buffer.from([1, 2, 3]);
    const size = 4 + sizeOfCompactBytes(records) + sizeOfCompactBytes(small);
    const w = new GatherWriter(size, { gatherFromBytes: 8192 });
    w.writeInt32(42);
    w.writeCompactBytes(records);
    w.writeCompactBytes(small);
    const parts = w.finishParts();
    // The prefix (int32 + varint length), the records themselves, then the small field copied.
    expect(parts).toHaveLength(3);
    expect(parts[1]).toBe(records);
    expect(parts[0]?.length).toBe(4 + sizeOfUnsignedVarint(records.length + 1));
    expect(Buffer.concat(parts).subarray(-4)).toEqual(Buffer.from([4, 1, 2, 3]));
  });

  it('gives a frame with nothing gathered as one exactly sized buffer', () => {
    const w = new GatherWriter(12);
    w.writeInt32(1);
    w.writeInt64(2n);
    const parts = w.finishParts();
    expect(parts).toHaveLength(1);
    expect(parts[0]?.length).toBe(12);
  });

  it('fails a fill that goes past the computed size, by a small write or a gathered one', () => {
    const over = new GatherWriter(6);
    over.writeInt32(1);
    expect(() => over.writeInt32(2)).toThrow(ProtocolEncodeError);
    const overGathered = new GatherWriter(10, { gatherFromBytes: 4 });
    expect(() => overGathered.writeRaw(Buffer.alloc(11))).toThrow(ProtocolEncodeError);
  });

  it('fails a fill that stops short of the computed size', () => {
    const short = new GatherWriter(8);
    short.writeInt32(1);
    expect(() => short.finishParts()).toThrow(ProtocolEncodeError);
    expect(() => short.finish()).toThrow(ProtocolEncodeError);
  });

  it('joins the parts when asked for one buffer', () => {
    const records = Buffer.alloc(100, 9);
    const w = new GatherWriter(4 + records.length, { gatherFromBytes: 10 });
    w.writeInt32(records.length);
    w.writeRaw(records);
    expect(w.finish()).toEqual(Buffer.concat([Buffer.from([0, 0, 0, 100]), records]));
  });
});
