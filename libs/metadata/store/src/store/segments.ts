// The tiered segment manifest of one partition (ARCHITECTURE.md "Tiering and retention"): which
// offset ranges live in the object store and under which key. Tiered-storage records a segment
// only after its upload is verified, and the hot tier may drop its copy only after that record
// commits, so this is where "no byte is lost between the tiers" is decided.
//
// Layout: one key per segment, `segments/<topicId>/<partition>/s/<segmentId>`, plus a head key
// `segments/<topicId>/<partition>/head` that every change of the partition's manifest rewrites in
// the same transaction. One prefix read therefore yields a consistent manifest, and the head's mod
// revision is "the last time this manifest changed". A caller's `expectedRevision` is any store
// revision at which it read the manifest; its write applies only if the head has not moved since
// (head modRevision <= expectedRevision). That also works for an empty manifest (no head: 0).
// One key per segment (not one document) because a segment of 1 GiB in 1 MiB chunks alone carries
// a thousand chunk entries, and etcd values are capped at 1.5 MiB.
import { fail, ok, type Result, type TopicId } from '@stratus/metadata-model';
import type { KvCompare, KvOp } from '../kv/kv';
import { encode } from './codec';
import { CONFLICT, ContentionError, isKeySegment, retryOnConflict, versioned, type StoreContext } from './context';

/** etcd's default --max-txn-ops is 128; one op per segment plus the head write. */
export const MAX_SEGMENTS_PER_CHANGE = 100;

export type SegmentState = 'committed' | 'deleting';

export interface SegmentChunkRecord {
  readonly position: bigint;
  readonly sizeBytes: number;
  readonly crc32c: number;
  /** -1n when no batch starts in the chunk. */
  readonly firstBatchOffset: bigint;
  /** Where that batch starts, relative to the chunk (0 when none does). */
  readonly firstBatchPosition: number;
}

export interface SegmentRecord {
  readonly topicId: TopicId;
  readonly partition: number;
  readonly segmentId: string;
  readonly baseOffset: bigint;
  /** Exclusive. */
  readonly endOffset: bigint;
  readonly sizeBytes: bigint;
  readonly objectKey: string;
  readonly chunks: readonly SegmentChunkRecord[];
  readonly crc32c: number;
  readonly minTimestampMs: bigint;
  readonly maxTimestampMs: bigint;
  readonly epochHistory: readonly { readonly epoch: number; readonly startOffset: bigint }[];
  readonly state: SegmentState;
  readonly uploadTimeMs: bigint;
}

export interface SegmentPartition {
  readonly topicId: TopicId;
  readonly partition: number;
}

/** The manifest changed after the revision the caller read it at: re-read and decide again. */
export class ManifestChanged extends ContentionError {}

export interface SegmentPage {
  readonly segments: readonly SegmentRecord[];
  /** Empty when there is nothing after this page. */
  readonly nextPageToken: string;
  /** Store revision the page was read at: pass it as expectedRevision to a later change. */
  readonly revision: bigint;
}

export interface ListSegmentsOptions {
  /** Only segments whose end offset is above this offset. */
  readonly fromOffset?: bigint;
  readonly includeDeleting?: boolean;
  readonly pageSize?: number;
  readonly pageToken?: string;
}

export const DEFAULT_SEGMENT_PAGE = 100;
export const MAX_SEGMENT_PAGE = 1000;

const byOffset = (a: SegmentRecord, b: SegmentRecord): number =>
  a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : a.segmentId < b.segmentId ? -1 : a.segmentId > b.segmentId ? 1 : 0;

function sameSegment(a: SegmentRecord, b: SegmentRecord): boolean {
  // Upload time and state are not part of what was uploaded: a retried add of the same object is
  // the same segment even if its clock reading differs.
  const strip = (s: SegmentRecord): string => encode({ ...s, uploadTimeMs: 0n, state: 'committed' });
  return strip(a) === strip(b);
}

function validate(s: SegmentRecord): string | undefined {
  if (!isKeySegment(s.segmentId)) return `segment_id ${JSON.stringify(s.segmentId)} must be 1-255 characters without '/'`;
  if (s.baseOffset < 0n) return `segment ${s.segmentId}: base_offset must be >= 0`;
  if (s.endOffset <= s.baseOffset) return `segment ${s.segmentId}: end_offset must be above base_offset`;
  if (s.sizeBytes <= 0n) return `segment ${s.segmentId}: size_bytes must be positive`;
  if (s.objectKey.length === 0) return `segment ${s.segmentId}: object_key is required`;
  if (s.maxTimestampMs < s.minTimestampMs) return `segment ${s.segmentId}: max_timestamp_ms is below min_timestamp_ms`;
  let position = 0n;
  for (const c of s.chunks) {
    if (c.position !== position || c.sizeBytes <= 0) return `segment ${s.segmentId}: chunks must be contiguous and non-empty from position 0`;
    if (!Number.isInteger(c.firstBatchPosition) || c.firstBatchPosition < 0 || c.firstBatchPosition >= c.sizeBytes) {
      return `segment ${s.segmentId}: chunk at ${c.position} has first_batch_position outside the chunk`;
    }
    position += BigInt(c.sizeBytes);
  }
  if (s.chunks.length > 0 && position !== s.sizeBytes) return `segment ${s.segmentId}: chunks cover ${position} of ${s.sizeBytes} bytes`;
  return undefined;
}

const overlaps = (a: SegmentRecord, b: SegmentRecord): boolean => a.baseOffset < b.endOffset && b.baseOffset < a.endOffset;

export class SegmentStore {
  constructor(private readonly ctx: StoreContext) {}

  /**
   * Records verified uploads. Idempotent: re-adding a segment id with identical content is a
   * no-op (an uploader that crashed after the commit retries safely). A different segment over
   * offsets a committed one already covers is refused, so reads never have two answers.
   */
  async add(segments: readonly SegmentRecord[], options: { expectedRevision?: bigint } = {}): Promise<Result<{ revision: bigint }>> {
    const first = segments[0];
    if (!first) return fail('INVALID_REQUEST', 'segments must not be empty');
    if (segments.length > MAX_SEGMENTS_PER_CHANGE) return fail('INVALID_REQUEST', `at most ${MAX_SEGMENTS_PER_CHANGE} segments per request`);
    const checked = this.checkPartition(first);
    if (!checked.ok) return checked;
    for (const s of segments) {
      if (s.topicId !== first.topicId || s.partition !== first.partition) return fail('INVALID_REQUEST', 'all segments of one request must belong to one partition');
      if (s.state !== 'committed') return fail('INVALID_REQUEST', `segment ${s.segmentId}: only committed segments can be added`);
      const problem = validate(s);
      if (problem) return fail('INVALID_REQUEST', problem);
    }
    const sorted = [...segments].sort(byOffset);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1] as SegmentRecord;
      const cur = sorted[i] as SegmentRecord;
      if (prev.segmentId === cur.segmentId) return fail('INVALID_REQUEST', `segment ${cur.segmentId} appears twice`);
      if (overlaps(prev, cur)) return fail('INVALID_REQUEST', `segments ${prev.segmentId} and ${cur.segmentId} overlap`);
    }
    return this.change(first, options.expectedRevision, (current) => {
      const ops: KvOp[] = [];
      for (const s of sorted) {
        const existing = current.get(s.segmentId);
        if (existing) {
          if (sameSegment(existing, s)) continue;
          return fail('DUPLICATE_RESOURCE', `segment ${s.segmentId} already exists with different content; a re-upload needs a new segment id`);
        }
        const clash = [...current.values()].find((c) => c.state === 'committed' && overlaps(c, s));
        if (clash) {
          return fail('INVALID_REQUEST', `segment ${s.segmentId} [${s.baseOffset}, ${s.endOffset}) overlaps committed segment ${clash.segmentId} [${clash.baseOffset}, ${clash.endOffset})`);
        }
        ops.push({ type: 'put', key: this.segmentKey(s, s.segmentId), value: encode(s) });
      }
      return ok(ops);
    });
  }

  /**
   * Retention/deletion in two steps: first mark segments DELETING (reads stop using them), delete
   * their objects, then purge the entries. Purging a segment that was never marked is refused: its
   * object may still be served. Unknown ids are ignored so a crashed deleter can simply retry.
   */
  async remove(partition: SegmentPartition, segmentIds: readonly string[], options: { purge: boolean; expectedRevision?: bigint }): Promise<Result<{ revision: bigint }>> {
    const checked = this.checkPartition(partition);
    if (!checked.ok) return checked;
    if (segmentIds.length === 0) return fail('INVALID_REQUEST', 'segment_ids must not be empty');
    if (segmentIds.length > MAX_SEGMENTS_PER_CHANGE) return fail('INVALID_REQUEST', `at most ${MAX_SEGMENTS_PER_CHANGE} segments per request`);
    const bad = segmentIds.find((id) => !isKeySegment(id));
    if (bad !== undefined) return fail('INVALID_REQUEST', `segment_id ${JSON.stringify(bad)} is not valid`);
    return this.change(partition, options.expectedRevision, (current) => {
      const ops: KvOp[] = [];
      for (const id of new Set(segmentIds)) {
        const existing = current.get(id);
        if (!existing) continue;
        if (options.purge) {
          if (existing.state !== 'deleting') return fail('INVALID_REQUEST', `segment ${id} is committed; mark it deleting before purging`);
          ops.push({ type: 'delete', key: this.segmentKey(partition, id) });
        } else if (existing.state !== 'deleting') {
          ops.push({ type: 'put', key: this.segmentKey(partition, id), value: encode({ ...existing, state: 'deleting' }) });
        }
      }
      return ok(ops);
    });
  }

  /** A consistent page of the manifest, ordered by base offset. */
  async list(partition: SegmentPartition, options: ListSegmentsOptions = {}): Promise<Result<SegmentPage>> {
    const checked = this.checkPartition(partition);
    if (!checked.ok) return checked;
    const size = options.pageSize === undefined || options.pageSize === 0 ? DEFAULT_SEGMENT_PAGE : options.pageSize;
    if (!Number.isInteger(size) || size < 0) return fail('INVALID_REQUEST', 'page_size must be >= 0');
    const after = options.pageToken ? decodeToken(options.pageToken) : undefined;
    if (options.pageToken && !after) return fail('INVALID_REQUEST', 'page_token is not one this server issued');
    const { segments, revision } = await this.read(partition);
    const from = options.fromOffset ?? 0n;
    const matching = [...segments.values()]
      .filter((s) => s.endOffset > from && (options.includeDeleting === true || s.state === 'committed'))
      .sort(byOffset)
      .filter((s) => !after || s.baseOffset > after.baseOffset || (s.baseOffset === after.baseOffset && s.segmentId > after.segmentId));
    const page = matching.slice(0, Math.min(size, MAX_SEGMENT_PAGE));
    const last = page[page.length - 1];
    const nextPageToken = last && matching.length > page.length ? encodeToken(last) : '';
    return ok({ segments: page, nextPageToken, revision });
  }

  private checkPartition(p: SegmentPartition): Result<true> {
    if (!isKeySegment(p.topicId)) return fail('UNKNOWN_TOPIC_ID', 'a 16-byte topic id is required');
    if (!Number.isInteger(p.partition) || p.partition < 0) return fail('INVALID_REQUEST', 'partition must be >= 0');
    return ok(true);
  }

  private prefix(p: SegmentPartition): string {
    return `${this.ctx.keys.root}segments/${p.topicId}/${p.partition}/`;
  }

  private headKey(p: SegmentPartition): string {
    return `${this.prefix(p)}head`;
  }

  private segmentKey(p: SegmentPartition, segmentId: string): string {
    return `${this.prefix(p)}s/${segmentId}`;
  }

  private async read(p: SegmentPartition): Promise<{ segments: Map<string, SegmentRecord>; headRevision: bigint; revision: bigint }> {
    const range = await this.ctx.kv.range(this.prefix(p));
    const segments = new Map<string, SegmentRecord>();
    let headRevision = 0n;
    for (const entry of range.entries) {
      if (entry.key === this.headKey(p)) headRevision = entry.modRevision;
      else {
        const s = versioned<SegmentRecord>(entry).value;
        segments.set(s.segmentId, s);
      }
    }
    return { segments, headRevision, revision: range.revision };
  }

  /** Read, decide, and write with the head compared on its mod revision (retried on races). */
  private async change(
    p: SegmentPartition,
    expectedRevision: bigint | undefined,
    decide: (current: Map<string, SegmentRecord>) => Result<KvOp[]>,
  ): Promise<Result<{ revision: bigint }>> {
    const expected = expectedRevision ?? 0n;
    if (expected < 0n) return fail('INVALID_REQUEST', 'expected_revision must be >= 0');
    return retryOnConflict(async () => {
      const { segments, headRevision, revision } = await this.read(p);
      if (expected > 0n && headRevision > expected) {
        throw new ManifestChanged(`manifest of ${p.topicId}/${p.partition} changed at revision ${headRevision}, after ${expected}`);
      }
      const decided = decide(segments);
      if (!decided.ok) return decided;
      if (decided.value.length === 0) return ok({ revision: headRevision > 0n ? headRevision : revision });
      const guard: KvCompare = { key: this.headKey(p), target: 'modRevision', op: '==', value: headRevision };
      const ops: KvOp[] = [...decided.value, { type: 'put', key: this.headKey(p), value: encode({ changedAtMs: this.ctx.now() }) }];
      const result = await this.ctx.kv.txn([guard], ops);
      return result.succeeded ? ok({ revision: result.revision }) : CONFLICT;
    });
  }
}

function encodeToken(s: SegmentRecord): string {
  return Buffer.from(`${s.baseOffset}/${s.segmentId}`).toString('base64url');
}

function decodeToken(token: string): { baseOffset: bigint; segmentId: string } | undefined {
  const text = Buffer.from(token, 'base64url').toString();
  const slash = text.indexOf('/');
  if (slash <= 0 || !/^\d+$/.test(text.slice(0, slash))) return undefined;
  return { baseOffset: BigInt(text.slice(0, slash)), segmentId: text.slice(slash + 1) };
}
