import fc from 'fast-check';
import { FrameSplitter, peekRequestHeader } from './frames';

function frame(body: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);
  return Buffer.concat([size, body]);
}

function header(apiKey: number, version: number, correlationId: number, clientId: string | null): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeInt16BE(apiKey, 0);
  fixed.writeInt16BE(version, 2);
  fixed.writeInt32BE(correlationId, 4);
  fixed.writeInt16BE(clientId === null ? -1 : Buffer.byteLength(clientId), 8);
  return Buffer.concat([fixed, Buffer.from(clientId ?? '')]);
}

describe('FrameSplitter', () => {
  it('returns the same frames however the stream is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 20 }), { minLength: 1, maxLength: 10 }),
        (bodies, cuts) => {
          const stream = Buffer.concat(bodies.map((b) => frame(Buffer.from(b))));
          const splitter = new FrameSplitter();
          const out: Buffer[] = [];
          for (let at = 0, i = 0; at < stream.length; i++) {
            const next = Math.min(stream.length, at + cuts[i % cuts.length]);
            out.push(...splitter.push(stream.subarray(at, next)));
            at = next;
          }
          expect(out.map((b) => b.toString('hex'))).toEqual(bodies.map((b) => Buffer.from(b).toString('hex')));
          expect(splitter.pending).toBe(0);
        },
      ),
    );
  });

  it('rejects a negative size', () => {
    expect(() => new FrameSplitter().push(Buffer.from([0xff, 0xff, 0xff, 0xfe]))).toThrow(/invalid frame size/);
  });
});

describe('peekRequestHeader', () => {
  it('reads api key, version, correlation id and client id', () => {
    const bytes = Buffer.concat([header(0, 13, 42, 'java-produce-gzip'), Buffer.from([0, 1, 2])]);
    expect(peekRequestHeader(bytes)).toEqual({ apiKey: 0, apiVersion: 13, correlationId: 42, clientId: 'java-produce-gzip' });
  });

  it('accepts a null client id', () => {
    expect(peekRequestHeader(header(18, 3, -5, null))?.clientId).toBeNull();
  });

  it('refuses bytes that are not a known request (e.g. raw SASL tokens after SaslHandshake v0)', () => {
    expect(peekRequestHeader(Buffer.from('\0alice\0alice-secret'))).toBeUndefined();
    expect(peekRequestHeader(header(999, 0, 1, 'x'))).toBeUndefined();
    expect(peekRequestHeader(Buffer.alloc(4))).toBeUndefined();
    // client id length pointing past the end of the frame
    expect(peekRequestHeader(header(3, 12, 1, 'abc').subarray(0, 11))).toBeUndefined();
  });
});
