// decode(encode(x)) deep-equals x and the encoded length equals the computed size, for every
// generated message at every version, on values derived from the message schemas.
import fc from 'fast-check';
import { messageArbitrary } from './testing/arbitraries';
import { allCodecs, allVersions } from './testing/codecs';

const codecs = allCodecs();
const cases = allVersions(codecs).map(([codec, version]) => [codec.name, version, codec] as const);

describe('generated codecs round-trip', () => {
  it('covers every generated message', () => {
    expect(codecs.length).toBeGreaterThan(150);
  });

  it.each(cases)('%s v%i', (_name, version, codec) => {
    fc.assert(
      fc.property(messageArbitrary(codec.schema, version), (message) => {
        const size = codec.sizeOf(message, version);
        const encoded = codec.encode(message, version);
        expect(encoded.length).toBe(size);
        expect(codec.decode(encoded, version)).toEqual(message);
      }),
      { numRuns: 30 },
    );
  });
});
