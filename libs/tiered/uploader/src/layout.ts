// Where a segment lives in the object store, and the id it gets in the manifest. Both are pure
// functions of (tenant, topic id, partition, offsets, checksum), so a retried or concurrent upload
// of the same sealed segment names the same object and the same manifest entry — the idempotence
// the uploader relies on (conditional create + idempotent AddSegments).
//
//   <tenantId>/<topicId hex32>/<partition>/<baseOffset 20 digits>-<endOffset 20 digits>-<crc32c 8 hex>.log
//
// Offsets are zero-padded so a listing (S3 lists in byte order) is in offset order; the CRC32C is
// part of the name so bytes that differ (a corrupt re-read, a repair from another replica that
// rolled differently) can never be mistaken for the object already there.
export interface SegmentAddress {
  readonly tenantId: string;
  /** 16 bytes (KIP-516). */
  readonly topicId: Uint8Array;
  readonly partition: number;
}

export interface SegmentIdentity {
  readonly baseOffset: bigint;
  /** Exclusive. */
  readonly endOffset: bigint;
  readonly crc32c: number;
}

const pad = (offset: bigint): string => offset.toString().padStart(20, '0');

export function segmentId(s: SegmentIdentity): string {
  return `${pad(s.baseOffset)}-${pad(s.endOffset)}-${(s.crc32c >>> 0).toString(16).padStart(8, '0')}`;
}

/** Everything of one partition: retention and topic deletion delete by this prefix. */
export function partitionPrefix(a: SegmentAddress): string {
  if (a.tenantId.length === 0 || a.tenantId.includes('/')) throw new RangeError(`invalid tenant id ${JSON.stringify(a.tenantId)}`);
  if (a.topicId.length !== 16) throw new RangeError('topic id must be 16 bytes');
  if (!Number.isInteger(a.partition) || a.partition < 0) throw new RangeError(`invalid partition ${a.partition}`);
  return `${a.tenantId}/${Buffer.from(a.topicId).toString('hex')}/${a.partition}/`;
}

export function segmentObjectKey(a: SegmentAddress, s: SegmentIdentity): string {
  return `${partitionPrefix(a)}${segmentId(s)}.log`;
}
