// KIP-74: a fetch split over several brokers must not answer more than the client's max_bytes.
import fc from 'fast-check';
import { brokerShareOfMaxBytes } from './fetch-routing';

describe('brokerShareOfMaxBytes', () => {
  it('gives every broker call at least one byte and all of them together at most the limit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 20 }), (maxBytes, perBroker) => {
        const total = perBroker.reduce((a, b) => a + b, 0);
        const shares = perBroker.map((n) => brokerShareOfMaxBytes(maxBytes, n, total));
        expect(shares.every((share) => share >= 1)).toBe(true);
        // Each share rounds down, except where the 1-byte floor lifts it (a limit of fewer bytes
        // than partitions, which only the KIP-74 first batch can serve anyway).
        const lifted = perBroker.filter((n) => (maxBytes * n) / total < 1).length;
        expect(shares.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(maxBytes + lifted);
      }),
    );
  });

  it('hands a call that covers every partition the whole limit, and leaves "no limit" (0 or less) alone', () => {
    expect(brokerShareOfMaxBytes(52_428_800, 7, 7)).toBe(52_428_800);
    expect(brokerShareOfMaxBytes(0, 1, 3)).toBe(0);
    expect(brokerShareOfMaxBytes(-1, 1, 3)).toBe(-1);
    expect(brokerShareOfMaxBytes(1000, 1, 3)).toBe(333);
  });
});
