import fc from 'fast-check';
import { crc32c } from '@node-rs/crc32';
import { patchCrc, shiftRawCrc } from './crc-shift';

describe('CRC-32C patching', () => {
  it('matches a full recomputation for any prefix change of any message', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 5000 }),
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        (message, patch) => {
          const before = Buffer.from(message);
          const n = Math.min(patch.length, before.length);
          const after = Buffer.from(before);
          const diff = Buffer.alloc(n);
          for (let i = 0; i < n; i++) {
            after[i] = patch[i] as number;
            diff[i] = (before[i] as number) ^ (patch[i] as number);
          }
          expect(patchCrc(crc32c(before) >>> 0, diff, before.length)).toBe(crc32c(after) >>> 0);
        },
      ),
    );
  });

  it('shifting by zero bytes is the identity and shifts compose', () => {
    expect(shiftRawCrc(0x12345678, 0)).toBe(0x12345678);
    expect(shiftRawCrc(shiftRawCrc(0xdeadbeef, 1000), 24)).toBe(shiftRawCrc(0xdeadbeef, 1024));
  });

  it('works for megabyte-sized messages', () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 7, 0x5a);
    const changed = Buffer.from(big);
    changed[3] ^= 0xff;
    const diff = Buffer.from([0, 0, 0, 0xff]);
    expect(patchCrc(crc32c(big) >>> 0, diff, big.length)).toBe(crc32c(changed) >>> 0);
  });
});
