// How the folder backend lays objects out on disk.
//
// <root>/objects/<seg>/<seg>/<last>.obj   one file per object: body bytes, then a trailer
// <root>/tmp/<random>.part                uploads in progress (crash leftovers are swept at open)
//
// Each key segment is percent-encoded with '.' escaped too, so a directory name never contains
// '.', every object file ends in ".obj", and keys "a" and "a/b" can coexist (a file "a.obj" next
// to a directory "a"), as they can in S3.
//
// Trailer (at the end so a stream can be written before its checksum is known):
//   UTF-8 JSON {"v":1,"checksum":"crc32c:…","etag":"…"} | uint32 BE JSON length | "SOB1"
// Putting metadata inside the one file keeps publication atomic: a single link() makes body and
// metadata visible together.
import { join } from 'node:path';
import { parseChecksum, type Checksum } from '../checksum';

export const OBJECT_SUFFIX = '.obj';
export const TRAILER_MAGIC = Buffer.from('SOB1', 'ascii');
export const TRAILER_FIXED_BYTES = 8;

export function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/\./g, '%2E');
}

export function decodeSegment(encoded: string): string {
  return decodeURIComponent(encoded);
}

export function objectPath(objectsDir: string, key: string): string {
  const segments = key.split('/');
  const last = segments.pop() as string;
  return join(objectsDir, ...segments.map(encodeSegment), encodeSegment(last) + OBJECT_SUFFIX);
}

/** The directory holding every key that starts with `prefix`, and the key prefix it stands for. */
export function prefixDirectory(objectsDir: string, prefix: string): { dir: string; keyPrefix: string } {
  const cut = prefix.lastIndexOf('/');
  if (cut < 0) return { dir: objectsDir, keyPrefix: '' };
  const segments = prefix.slice(0, cut).split('/');
  return { dir: join(objectsDir, ...segments.map(encodeSegment)), keyPrefix: prefix.slice(0, cut + 1) };
}

export interface TrailerMeta {
  readonly checksum: Checksum | undefined;
  readonly etag: string;
}

export function encodeTrailer(meta: { checksum: string; etag: string }): Buffer {
  const json = Buffer.from(JSON.stringify({ v: 1, checksum: meta.checksum, etag: meta.etag }), 'utf8');
  const fixed = Buffer.alloc(TRAILER_FIXED_BYTES);
  fixed.writeUInt32BE(json.length, 0);
  TRAILER_MAGIC.copy(fixed, 4);
  return Buffer.concat([json, fixed]);
}

/** Parses the fixed tail; returns the JSON length, or undefined when the file has no valid trailer. */
export function trailerJsonLength(fixed: Buffer, fileSize: number): number | undefined {
  if (fixed.length !== TRAILER_FIXED_BYTES || !fixed.subarray(4).equals(TRAILER_MAGIC)) return undefined;
  const length = fixed.readUInt32BE(0);
  return length + TRAILER_FIXED_BYTES <= fileSize ? length : undefined;
}

export function decodeTrailerJson(json: Buffer): TrailerMeta | undefined {
  try {
    const parsed = JSON.parse(json.toString('utf8')) as { v?: unknown; checksum?: unknown; etag?: unknown };
    if (parsed.v !== 1 || typeof parsed.etag !== 'string') return undefined;
    return { checksum: parseChecksum(typeof parsed.checksum === 'string' ? parsed.checksum : undefined), etag: parsed.etag };
  } catch {
    return undefined;
  }
}
