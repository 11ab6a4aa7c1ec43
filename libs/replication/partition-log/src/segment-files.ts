// Names and binary formats of a segment's files, as in Kafka: `<baseOffset, 20 digits>.log` holds
// the batches exactly as received; `.index` maps relative offset -> file position every
// indexIntervalBytes; `.timeindex` maps max timestamp so far -> relative offset.
import { join } from 'node:path';

export const LOG_SUFFIX = '.log';
export const INDEX_SUFFIX = '.index';
export const TIME_INDEX_SUFFIX = '.timeindex';

export const OFFSET_ENTRY_SIZE = 8;
export const TIME_ENTRY_SIZE = 12;

export interface OffsetEntry {
  /** batch base offset minus the segment's base offset */
  readonly rel: number;
  readonly position: number;
}

export interface TimeEntry {
  readonly timestamp: bigint;
  readonly rel: number;
}

export function segmentFileName(baseOffset: bigint, suffix: string): string {
  return `${baseOffset.toString().padStart(20, '0')}${suffix}`;
}

export function segmentPath(dir: string, baseOffset: bigint, suffix: string): string {
  return join(dir, segmentFileName(baseOffset, suffix));
}

const NAME = /^(\d{20})\.(log|index|timeindex)$/;

export function parseSegmentFileName(name: string): { baseOffset: bigint; suffix: string } | undefined {
  const m = NAME.exec(name);
  return m ? { baseOffset: BigInt(m[1] as string), suffix: `.${m[2]}` } : undefined;
}

export function encodeOffsetIndex(entries: readonly OffsetEntry[]): Buffer {
  const buf = Buffer.allocUnsafe(entries.length * OFFSET_ENTRY_SIZE);
  entries.forEach((e, i) => {
    buf.writeUInt32BE(e.rel, i * OFFSET_ENTRY_SIZE);
    buf.writeUInt32BE(e.position, i * OFFSET_ENTRY_SIZE + 4);
  });
  return buf;
}

export function encodeTimeIndex(entries: readonly TimeEntry[]): Buffer {
  const buf = Buffer.allocUnsafe(entries.length * TIME_ENTRY_SIZE);
  entries.forEach((e, i) => {
    buf.writeBigInt64BE(e.timestamp, i * TIME_ENTRY_SIZE);
    buf.writeUInt32BE(e.rel, i * TIME_ENTRY_SIZE + 8);
  });
  return buf;
}

/**
 * Decodes an offset index and checks it against its segment; undefined when it is inconsistent
 * (wrong size, not strictly increasing, pointing past the data) and must be rebuilt by a scan.
 */
export function decodeOffsetIndex(data: Buffer, segmentSize: number, relEnd: number): OffsetEntry[] | undefined {
  if (data.length % OFFSET_ENTRY_SIZE !== 0) return undefined;
  const entries: OffsetEntry[] = [];
  for (let p = 0; p < data.length; p += OFFSET_ENTRY_SIZE) {
    const e = { rel: data.readUInt32BE(p), position: data.readUInt32BE(p + 4) };
    const prev = entries[entries.length - 1];
    if (e.position >= segmentSize || e.rel >= relEnd || (prev && (e.rel <= prev.rel || e.position <= prev.position))) return undefined;
    entries.push(e);
  }
  return entries;
}

export function decodeTimeIndex(data: Buffer, relEnd: number): TimeEntry[] | undefined {
  if (data.length % TIME_ENTRY_SIZE !== 0) return undefined;
  const entries: TimeEntry[] = [];
  for (let p = 0; p < data.length; p += TIME_ENTRY_SIZE) {
    const e = { timestamp: data.readBigInt64BE(p), rel: data.readUInt32BE(p + 8) };
    const prev = entries[entries.length - 1];
    if (e.rel >= relEnd || (prev && (e.timestamp < prev.timestamp || e.rel < prev.rel))) return undefined;
    entries.push(e);
  }
  return entries;
}

/** Largest entry whose key is <= target (binary search); undefined when all are larger. */
export function floorEntry<T>(entries: readonly T[], key: (e: T) => bigint | number, target: bigint | number): T | undefined {
  let lo = 0;
  let hi = entries.length - 1;
  let found: T | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const e = entries[mid] as T;
    if (key(e) <= target) {
      found = e;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}
