import { crc32c } from '@node-rs/crc32';

// Updating a CRC-32C after a few bytes change, without reading the rest of the data.
//
// A CRC is affine in its input: for equal-length messages, crc(M xor D) = crc(M) xor raw(D), where raw is
// the CRC without initial value and final xor (a linear map over GF(2)). When D is zero except in a
// short prefix X followed by k zero bytes, raw(D) = raw(X) · x^(8k) mod P. Multiplying by x^(8k) takes
// O(log k) polynomial multiplications using precomputed powers x^(2^i) mod P. So stamping LogAppendTime
// into a 1 MiB batch costs a few hundred operations instead of a second pass over the megabyte, and a
// batch whose CRC was already wrong stays wrong (we never bless bytes we did not check).
//
// Polynomials are in the bit-reflected form CRC-32C uses: bit 31 holds x^0, bit 0 holds x^31.

const POLY = 0x82f63b78; // Castagnoli polynomial, reflected
const ONE = 0x80000000; // x^0

/** (a · b) mod P in the reflected representation. */
function mulMod(a: number, b: number): number {
  let product = 0;
  let factor = b >>> 0;
  for (let bit = 31; bit >= 0; bit--) {
    // bit 31 of `a` is the coefficient of x^0, bit 30 of x^1, ...; `factor` tracks b · x^(31-bit).
    if ((a >>> bit) & 1) product ^= factor;
    factor = factor & 1 ? (factor >>> 1) ^ POLY : factor >>> 1;
  }
  return product >>> 0;
}

/** POW2[i] = x^(2^i) mod P, for i in 0..63. */
const POW2: number[] = (() => {
  const table = [ONE >>> 1]; // x^1
  for (let i = 1; i < 64; i++) table.push(mulMod(table[i - 1] as number, table[i - 1] as number));
  return table;
})();

/** raw · x^(8·zeroBytes) mod P: the effect of appending `zeroBytes` zero bytes to raw CRC state. */
export function shiftRawCrc(raw: number, zeroBytes: number): number {
  let result = raw >>> 0;
  let bits = zeroBytes * 8;
  for (let i = 0; bits > 0; i++, bits = Math.floor(bits / 2)) {
    if (bits % 2 === 1) result = mulMod(result, POW2[i] as number);
  }
  return result;
}

const MAX_DIFF = 64;
/** CRC-32C of n zero bytes, n = 0..64: the affine constant to strip from crc32c() to get the raw CRC. */
const ZERO_CRCS: number[] = Array.from({ length: MAX_DIFF + 1 }, (_, n) => crc32c(Buffer.alloc(n)) >>> 0);

/** The linear part of CRC-32C of a short buffer (at most 64 bytes): no init value, no final xor. */
export function rawCrc(data: Buffer): number {
  if (data.length > MAX_DIFF) throw new RangeError('rawCrc is for short diffs');
  return (crc32c(data) ^ (ZERO_CRCS[data.length] as number)) >>> 0;
}

/**
 * The CRC-32C of a message after XOR-ing `diff` into its first `diff.length` bytes, from the old CRC,
 * the diff and the total message length alone.
 */
export function patchCrc(oldCrc: number, diff: Buffer, messageLength: number): number {
  return (oldCrc ^ shiftRawCrc(rawCrc(diff), messageLength - diff.length)) >>> 0;
}
