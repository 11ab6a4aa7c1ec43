import fc from 'fast-check';
import { ProtocolDecodeError, ProtocolEncodeError, tryDecode } from './errors';
import { Reader } from './reader';
import {
  sizeOfCompactBytes,
  sizeOfCompactString,
  sizeOfString,
  sizeOfUnsignedVarint,
  sizeOfVarint,
  sizeOfVarlong,
} from './sizes';
import { Writer } from './writer';
import { ZERO_UUID } from './uuid';

function roundTrip<T>(size: number, write: (w: Writer) => void, read: (r: Reader) => T): T {
  const w = Writer.alloc(size);
  write(w);
  const r = new Reader(w.finish());
  const value = read(r);
  r.expectEnd();
  return value;
}

describe('varints', () => {
  it('round-trips unsigned varints with the computed size', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (v) => {
        expect(roundTrip(sizeOfUnsignedVarint(v), (w) => w.writeUnsignedVarint(v), (r) => r.readUnsignedVarint())).toBe(v);
      }),
    );
  });

  it('round-trips zig-zag varints and varlongs', () => {
    fc.assert(
      fc.property(fc.integer({ min: -0x80000000, max: 0x7fffffff }), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (i, l) => {
        expect(roundTrip(sizeOfVarint(i), (w) => w.writeVarint(i), (r) => r.readVarint())).toBe(i);
        expect(roundTrip(sizeOfVarlong(l), (w) => w.writeVarlong(l), (r) => r.readVarlong())).toBe(l);
      }),
    );
  });

  it('encodes known values as Kafka does', () => {
    const w = Writer.alloc(sizeOfVarint(-1) + sizeOfUnsignedVarint(300));
    w.writeVarint(-1);
    w.writeUnsignedVarint(300);
    expect([...w.finish()]).toEqual([0x01, 0xac, 0x02]);
  });

  it('rejects a varint longer than 5 bytes as invalid_varint', () => {
    const r = new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01]));
    expect(() => r.readUnsignedVarint()).toThrow(expect.objectContaining({ kind: 'invalid_varint' }));
  });

  it('rejects a varlong longer than 10 bytes', () => {
    const r = new Reader(Buffer.alloc(11, 0xff));
    expect(() => r.readVarlong()).toThrow(expect.objectContaining({ kind: 'invalid_varint' }));
  });
});

describe('strings and bytes', () => {
  it('round-trips classic and compact strings', () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: 'grapheme' })), (s) => {
        expect(roundTrip(sizeOfString(s), (w) => w.writeNullableString(s), (r) => r.readNullableString())).toBe(s);
        expect(roundTrip(sizeOfCompactString(s), (w) => w.writeCompactNullableString(s), (r) => r.readCompactNullableString())).toBe(s);
      }),
    );
  });

  it('reads bytes as a view of the frame, not a copy', () => {
    const data = Buffer.from([0, 0, 0, 2, 7, 8]);
    const view = new Reader(data).readBytes();
    data[4] = 9;
    expect([...view]).toEqual([9, 8]);
  });

  it('round-trips compact nullable bytes', () => {
    fc.assert(
      fc.property(fc.option(fc.uint8Array()), (b) => {
        const value = b === null ? null : Buffer.from(b);
        const got = roundTrip(sizeOfCompactBytes(value), (w) => w.writeCompactNullableBytes(value), (r) => r.readCompactNullableBytes());
        expect(got).toEqual(value);
      }),
    );
  });

  it('rejects null where a field is not nullable', () => {
    expect(() => new Reader(Buffer.from([0xff, 0xff])).readString()).toThrow(expect.objectContaining({ kind: 'invalid_value' }));
  });
});

describe('bounds', () => {
  it('reports truncation as a typed error', () => {
    const result = tryDecode(() => new Reader(Buffer.from([0, 0, 0])).readInt32());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toBeInstanceOf(ProtocolDecodeError);
      expect(result.error.kind).toBe('truncated');
    }
  });

  it('rejects an array length larger than the remaining bytes before allocating', () => {
    const r = new Reader(Buffer.from([0x7f, 0xff, 0xff, 0xff, 1, 2]));
    expect(() => r.readArrayLength(1)).toThrow(expect.objectContaining({ kind: 'invalid_length' }));
    const c = new Reader(Buffer.from([0x05, 1, 2]));
    expect(() => c.readCompactArrayLength(1)).toThrow(expect.objectContaining({ kind: 'invalid_length' }));
  });

  it('returns -1 for null arrays', () => {
    expect(new Reader(Buffer.from([0xff, 0xff, 0xff, 0xff])).readArrayLength()).toBe(-1);
    expect(new Reader(Buffer.from([0])).readCompactArrayLength()).toBe(-1);
  });

  it('rejects a negative string length other than -1', () => {
    expect(() => new Reader(Buffer.from([0xff, 0xfe])).readNullableString()).toThrow(expect.objectContaining({ kind: 'invalid_length' }));
  });

  it('flags trailing bytes', () => {
    const r = new Reader(Buffer.from([1, 2]));
    r.readInt8();
    expect(() => r.expectEnd()).toThrow(expect.objectContaining({ kind: 'trailing_bytes' }));
  });

  it('never throws anything but the typed error on random input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 32 }), fc.array(fc.integer({ min: 0, max: 9 }), { maxLength: 12 }), (bytes, ops) => {
        const r = new Reader(Buffer.from(bytes));
        const readers = [
          () => r.readInt64(),
          () => r.readVarlong(),
          () => r.readCompactNullableString(),
          () => r.readNullableBytes(),
          () => r.readCompactArrayLength(),
          () => r.readUuid(),
          () => r.readUnsignedVarint(),
          () => r.readTaggedFieldCount(),
          () => r.readFloat64(),
          () => r.readString(),
        ];
        const result = tryDecode(() => ops.map((op) => readers[op]?.()));
        if (!result.ok) expect(result.error).toBeInstanceOf(ProtocolDecodeError);
      }),
    );
  });
});

describe('writer', () => {
  it('fails with size_mismatch when the fill overruns or underruns the computed size', () => {
    const w = Writer.alloc(3);
    expect(() => w.writeInt32(1)).toThrow(ProtocolEncodeError);
    w.writeInt16(1);
    expect(() => w.finish()).toThrow(expect.objectContaining({ kind: 'size_mismatch' }));
  });

  it('rejects strings longer than 32767 bytes in both encodings', () => {
    const long = 'x'.repeat(0x8000);
    expect(() => Writer.alloc(sizeOfString(long)).writeString(long)).toThrow(expect.objectContaining({ kind: 'invalid_value' }));
    expect(() => Writer.alloc(sizeOfCompactString(long)).writeCompactString(long)).toThrow(expect.objectContaining({ kind: 'invalid_value' }));
  });

  it('rejects out-of-range integers', () => {
    expect(() => Writer.alloc(2).writeInt16(40000)).toThrow(expect.objectContaining({ kind: 'invalid_value' }));
    expect(() => Writer.alloc(4).writeInt32(1.5)).toThrow(ProtocolEncodeError);
  });

  it('round-trips UUIDs and rejects malformed ones', () => {
    const id = '0123abcd-4567-89ef-0123-456789abcdef';
    expect(roundTrip(16, (w) => w.writeUuid(id), (r) => r.readUuid())).toBe(id);
    expect(roundTrip(16, (w) => w.writeUuid(ZERO_UUID), (r) => r.readUuid())).toBe(ZERO_UUID);
    expect(() => Writer.alloc(16).writeUuid('nope')).toThrow(expect.objectContaining({ kind: 'invalid_value' }));
  });
});
