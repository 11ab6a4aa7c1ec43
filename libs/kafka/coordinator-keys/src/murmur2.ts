// Kafka's murmur2 (the 32-bit MurmurHash2 variant its default partitioner applies to record keys),
// written from the algorithm description: seed 0x9747b28c, multiplier 0x5bd1e995, shift 24,
// 4-byte little-endian blocks, then the 1-3 byte tail, then the final avalanche.
// Choosing Kafka's own hash means the coordinator partition of a key is exactly the partition a
// Kafka producer's default partitioner would pick for that key, which any Kafka tool can check.
const SEED = 0x9747b28c;
const M = 0x5bd1e995;
const R = 24;

/** Signed 32-bit murmur2 of `data`, identical to org.apache.kafka.common.utils.Utils.murmur2. */
export function murmur2(data: Uint8Array): number {
  const length = data.length;
  let h = (SEED ^ length) | 0;
  const blocks = length >>> 2;
  for (let i = 0; i < blocks; i++) {
    const o = i * 4;
    let k = (data[o] as number) | ((data[o + 1] as number) << 8) | ((data[o + 2] as number) << 16) | ((data[o + 3] as number) << 24);
    k = Math.imul(k, M);
    k ^= k >>> R;
    k = Math.imul(k, M);
    h = Math.imul(h, M);
    h ^= k;
  }
  const tail = blocks * 4;
  const rest = length & 3;
  if (rest === 3) h ^= (data[tail + 2] as number) << 16;
  if (rest >= 2) h ^= (data[tail + 1] as number) << 8;
  if (rest >= 1) {
    h ^= data[tail] as number;
    h = Math.imul(h, M);
  }
  h ^= h >>> 13;
  h = Math.imul(h, M);
  h ^= h >>> 15;
  return h | 0;
}

/** Kafka's Utils.toPositive: clears the sign bit (not Math.abs, which overflows on MIN_VALUE). */
export function toPositive(n: number): number {
  return n & 0x7fffffff;
}
