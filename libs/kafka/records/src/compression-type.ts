/** Compression codec ids as stored in the low three attribute bits. */
export const Compression = Object.freeze({
  none: 0,
  gzip: 1,
  snappy: 2,
  lz4: 3,
  zstd: 4, // KIP-110
} as const);

export type CompressionName = keyof typeof Compression;
export type CompressionId = (typeof Compression)[CompressionName];

const names: readonly CompressionName[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export function isCompressionId(id: number): id is CompressionId {
  return Number.isInteger(id) && id >= 0 && id < names.length;
}

export function compressionName(id: CompressionId): CompressionName {
  return names[id] as CompressionName;
}

/** Timestamp semantics of a batch (attribute bit 3). */
export type TimestampType = 'create-time' | 'log-append-time';
