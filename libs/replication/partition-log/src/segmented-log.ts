// The ordered list of segments of one partition: rolling, reading whole batches, truncating from
// the end, deleting from the front, and the recovery scan on open. Epochs and fencing live one
// level up, in PartitionReplica.
import type { ScannedBatch } from './batch-scan';
import { scanBatches } from './batch-scan';
import type { FileIo } from './file-io';
import { BackgroundSeals } from './background-seals';
import { Segment } from './segment';
import { LOG_SUFFIX, parseSegmentFileName, segmentFileName } from './segment-files';
import { TEMP_SUFFIX } from './durable-file';
import type { Clock, LogSink, PartitionLogConfig } from './types';

/** What a read returns: whole batches only, starting with the batch that contains the offset. */
export interface ReadBatches {
  readonly records: Buffer;
  /** Offset after the last returned batch (== the requested offset when nothing was returned). */
  readonly nextOffset: bigint;
}

export type ReadOutcome = { readonly ok: true; readonly value: ReadBatches } | { readonly ok: false; readonly corruptAt: bigint; readonly file: string; readonly reason: string };

export interface RecoveryReport {
  readonly truncatedBytes: number;
  readonly rebuiltIndexes: number;
  readonly tailProblem?: string;
}

const MAX_REL_OFFSET = 2 ** 32 - 1;

interface LogDeps {
  readonly io: FileIo;
  readonly dir: string;
  readonly config: PartitionLogConfig;
  readonly clock: Clock;
  readonly log: LogSink;
}

export class SegmentedLog {
  private readonly seals: BackgroundSeals;

  private constructor(
    private readonly deps: LogDeps,
    private segments: Segment[],
  ) {
    this.seals = new BackgroundSeals(deps.log, () => deps.io.syncDir(deps.dir));
  }

  get logStart(): bigint {
    return (this.segments[0] as Segment).baseOffset;
  }

  get logEnd(): bigint {
    return this.active.nextOffset;
  }

  get active(): Segment {
    return this.segments[this.segments.length - 1] as Segment;
  }

  get segmentCount(): number {
    return this.segments.length;
  }

  get sizeBytes(): number {
    return this.segments.reduce((n, s) => n + s.size, 0);
  }

  /** Segment summaries (base, end, size, max timestamp), oldest first. */
  describeSegments(): { baseOffset: bigint; nextOffset: bigint; size: number; maxTimestamp: bigint }[] {
    return this.segments.map((s) => ({ baseOffset: s.baseOffset, nextOffset: s.nextOffset, size: s.size, maxTimestamp: s.maxTimestamp }));
  }

  static async open(deps: LogDeps): Promise<{ log: SegmentedLog; report: RecoveryReport }> {
    const { io, dir, config, clock } = deps;
    await io.mkdirp(dir);
    const names = await io.readdir(dir);
    const bases = new Set<bigint>();
    const logs = new Set<bigint>();
    for (const name of names) {
      if (name.endsWith(TEMP_SUFFIX)) await io.unlinkIfExists(`${dir}/${name}`);
      const parsed = parseSegmentFileName(name);
      if (!parsed) continue;
      bases.add(parsed.baseOffset);
      if (parsed.suffix === LOG_SUFFIX) logs.add(parsed.baseOffset);
    }
    // Index files whose data file is gone are leftovers of an interrupted deletion.
    for (const base of bases) {
      if (!logs.has(base)) {
        await io.unlinkIfExists(`${dir}/${segmentFileName(base, '.index')}`);
        await io.unlinkIfExists(`${dir}/${segmentFileName(base, '.timeindex')}`);
      }
    }
    const sorted = [...logs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const init = (baseOffset: bigint) => ({ io, dir, baseOffset, indexIntervalBytes: config.indexIntervalBytes, createdAtMs: clock.now() });
    if (sorted.length === 0) {
      const seg = await Segment.create(init(0n));
      await io.syncDir(dir);
      return { log: new SegmentedLog(deps, [seg]), report: { truncatedBytes: 0, rebuiltIndexes: 0 } };
    }
    const segments: Segment[] = [];
    let rebuiltIndexes = 0;
    for (let i = 0; i < sorted.length - 1; i++) {
      const base = sorted[i] as bigint;
      const next = sorted[i + 1] as bigint;
      const opened = await Segment.openSealed({ ...init(base), nextOffset: next });
      if (opened) {
        if (opened.rebuiltIndex) rebuiltIndexes++;
        segments.push(opened.segment);
        continue;
      }
      // Rolled, but its seal (data fsync, then index files) never finished: scan it as a tail.
      const scanned = await Segment.recoverActive(init(base));
      if (scanned.truncatedBytes === 0 && scanned.stop.kind === 'end' && scanned.segment.nextOffset === next) {
        await scanned.segment.beginSeal();
        await scanned.segment.persistSeal();
        await scanned.segment.close();
        rebuiltIndexes++;
        segments.push(scanned.segment);
        continue;
      }
      // A hole in a segment that was never made durable (power loss): what follows it is not a
      // contiguous log any more, so the log ends here and the later segments go, newest first (a
      // crash in between leaves a prefix, and this segment, still without index files, is re-scanned).
      let droppedBytes = 0;
      for (let j = sorted.length - 1; j > i; j--) {
        const later = sorted[j] as bigint;
        droppedBytes += (await io.sizeIfExists(`${dir}/${segmentFileName(later, LOG_SUFFIX)}`)) ?? 0;
        await Segment.deleteFiles(io, dir, later);
      }
      await io.syncDir(dir);
      segments.push(scanned.segment);
      const problem = scanned.stop.kind === 'end' ? `segment ${base} ends at offset ${scanned.segment.nextOffset}, the next one starts at ${next}` : scanned.stop.kind === 'torn' ? 'torn batch' : scanned.stop.reason;
      return { log: new SegmentedLog(deps, segments), report: { truncatedBytes: scanned.truncatedBytes + droppedBytes, rebuiltIndexes, tailProblem: `unsealed segment ${base}: ${problem}` } };
    }
    const last = await Segment.recoverActive(init(sorted[sorted.length - 1] as bigint));
    segments.push(last.segment);
    const report: RecoveryReport =
      last.stop.kind === 'end'
        ? { truncatedBytes: last.truncatedBytes, rebuiltIndexes }
        : { truncatedBytes: last.truncatedBytes, rebuiltIndexes, tailProblem: last.stop.kind === 'torn' ? 'torn batch' : last.stop.reason };
    return { log: new SegmentedLog(deps, segments), report };
  }

  /** The offset the next append must start at: past the appends still being written (see Segment.startAppend). */
  get appendEnd(): bigint {
    return this.active.appendEnd;
  }

  /**
   * Hands validated batches (stored as `parts` back to back) whose first base offset is appendEnd
   * to the active segment, rolling first when due, and returns once their write has STARTED:
   * `done` settles when they and everything before them are written. Writes of consecutive calls
   * overlap; the caller acknowledges on `done`. (Wrapped in an object so that awaiting the start
   * does not wait for the write.)
   */
  async startAppend(parts: readonly Buffer[], batches: readonly ScannedBatch[]): Promise<{ done: Promise<void> }> {
    // A seal that failed in the background (e.g. a full disk) is retried here, so the append fails
    // as it did when sealing was part of the roll.
    await this.seals.settleFinished();
    // These batches were checked against an end that included a write that has failed since: they
    // cannot follow it. The caller reports the failure; its next append sees the cut-back end.
    if (this.active.hasFailedWrite) throw await this.active.drain();
    const last = batches[batches.length - 1] as ScannedBatch;
    const active = this.active;
    let length = 0;
    for (const p of parts) length += p.length;
    const position = active.appendPosition;
    const tooBig = position + length > this.deps.config.segmentBytes;
    const tooOld = this.deps.clock.now() - active.createdAtMs >= this.deps.config.segmentMs;
    const relOverflow = last.header.lastOffset - active.baseOffset > BigInt(MAX_REL_OFFSET);
    if (position > 0 && (tooBig || tooOld || relOverflow)) {
      // Sealing needs the segment's every byte written and indexed.
      const failure = await active.drain();
      if (failure !== undefined) throw failure;
      await this.roll();
    }
    return { done: this.active.startAppend(parts, batches) };
  }

  /** Appends validated batches and waits until they are written. */
  async append(parts: readonly Buffer[], batches: readonly ScannedBatch[]): Promise<void> {
    await (await this.startAppend(parts, batches)).done;
  }

  /** Waits for every started append; when one failed, cuts the active segment back and returns the error. */
  drain(): Promise<unknown> {
    return this.active.drain();
  }

  /** Only when a started write is known to have failed: drain() (so the next append sees the real end). */
  async drainIfFailed(): Promise<void> {
    if (this.active.hasFailedWrite) await this.active.drain();
  }

  /**
   * Starts a new active segment at logEnd. The old segment's fsync and index files are written in
   * the background (as Kafka flushes a rolled segment asynchronously): an fsync of a whole
   * segment takes as long as the disk needs for segmentBytes, and appends must not wait for it.
   * Until it finishes, recovery treats that segment like a tail (see open).
   */
  async roll(): Promise<void> {
    const old = this.active;
    const { removedStaleIndexes } = await old.beginSeal();
    // Stale index files must be gone for good before anything after this segment can survive a
    // crash (recovery would trust them); the rare case pays a directory fsync here.
    if (removedStaleIndexes) await this.deps.io.syncDir(this.deps.dir);
    const next = await Segment.create({
      io: this.deps.io,
      dir: this.deps.dir,
      baseOffset: old.nextOffset,
      indexIntervalBytes: this.deps.config.indexIntervalBytes,
      createdAtMs: this.deps.clock.now(),
    });
    // The new segment's directory entry is made durable by the background seal's directory fsync
    // (flush() waits for it), not here: under a data flush that fsync stalled appends for ~0.4 s.
    this.segments.push(next);
    this.seals.start(old);
  }

  private segmentFor(offset: bigint): Segment | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i] as Segment;
      if (s.baseOffset <= offset) return s;
    }
    return undefined;
  }

  /** Whole batches from the one containing `offset`, up to maxBytes (at least one batch, KIP-74), each CRC-checked. */
  async read(offset: bigint, maxBytes: number, maxOffset?: bigint): Promise<ReadOutcome> {
    const seg = this.segmentFor(offset);
    const empty: ReadOutcome = { ok: true, value: { records: Buffer.alloc(0), nextOffset: offset } };
    if (!seg || offset >= this.logEnd || (maxOffset !== undefined && offset >= maxOffset)) return empty;
    if (offset >= seg.nextOffset) return empty;
    const at = await seg.positionOf(offset);
    if (!at) return { ok: false, corruptAt: offset, file: seg.logPath, reason: 'no valid batch header found for the offset' };
    const length = Math.min(seg.size - at.position, Math.max(maxBytes, at.header.sizeInBytes));
    if (at.position + at.header.sizeInBytes > seg.size) return { ok: false, corruptAt: at.header.baseOffset, file: seg.logPath, reason: 'batch runs past the segment end' };
    const bytes = await seg.readBytes(at.position, length);
    const scan = scanBatches(bytes, { expectedBaseOffset: at.header.baseOffset });
    if (scan.stop.kind === 'invalid' || scan.batches.length === 0) {
      const bad = scan.batches.length === 0 ? at.header.baseOffset : (scan.batches[scan.batches.length - 1] as ScannedBatch).header.lastOffset + 1n;
      const reason = scan.stop.kind === 'invalid' ? scan.stop.reason : 'short read';
      return { ok: false, corruptAt: bad, file: seg.logPath, reason };
    }
    // Whole batches only, and none that reaches past maxOffset (uncommitted data stays unserved).
    const served = maxOffset === undefined ? scan.batches : scan.batches.filter((b) => b.header.lastOffset < maxOffset);
    const lastBatch = served[served.length - 1];
    if (!lastBatch) return empty;
    const end = lastBatch.position + lastBatch.header.sizeInBytes;
    return { ok: true, value: { records: bytes.subarray(0, end), nextOffset: lastBatch.header.lastOffset + 1n } };
  }

  async readSealed(baseOffset: bigint, position: number, length: number): Promise<Buffer | undefined> {
    const seg = this.segments.slice(0, -1).find((s) => s.baseOffset === baseOffset);
    if (!seg || position < 0 || position > seg.size) return undefined;
    return seg.readBytes(position, Math.min(length, seg.size - position));
  }

  async offsetForTimestamp(timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    for (const s of this.segments) {
      const found = await s.offsetForTimestamp(timestamp);
      if (found) return found;
    }
    return undefined;
  }

  /**
   * Where truncating to `offset` lands: the start of the batch containing it (as Kafka's
   * truncateTo), so offsets inside a batch never split it. Undefined when the data is unreadable.
   */
  async truncationPoint(offset: bigint): Promise<bigint | undefined> {
    if (offset >= this.logEnd) return this.logEnd;
    const seg = this.segmentFor(offset);
    if (!seg) return undefined;
    const at = await seg.positionOf(offset);
    return at?.header.baseOffset;
  }

  /** Removes everything at and above `offset`, which must be a batch boundary (see truncationPoint). */
  async truncateTo(offset: bigint): Promise<void> {
    if (offset >= this.logEnd) return;
    await this.seals.settleAll();
    while (this.segments.length > 1 && this.active.baseOffset > offset) {
      const seg = this.segments.pop() as Segment;
      await seg.delete();
    }
    await this.deps.io.syncDir(this.deps.dir);
    const seg = this.active;
    if (offset === seg.baseOffset) {
      await seg.truncateTo(0, offset);
      return;
    }
    const at = await seg.positionOf(offset);
    if (!at || at.header.baseOffset !== offset) throw new Error(`truncation offset ${offset} is not a batch boundary of ${seg.logPath}`);
    await seg.truncateTo(at.position, offset);
  }

  /** Drops every segment and starts an empty log at `offset` (a replica far behind a peer's log start). */
  async resetTo(offset: bigint): Promise<void> {
    await this.seals.waitAll();
    this.seals.discard(this.segments);
    while (this.segments.length > 0) await (this.segments.pop() as Segment).delete();
    const seg = await Segment.create({
      io: this.deps.io,
      dir: this.deps.dir,
      baseOffset: offset,
      indexIntervalBytes: this.deps.config.indexIntervalBytes,
      createdAtMs: this.deps.clock.now(),
    });
    await this.deps.io.syncDir(this.deps.dir);
    this.segments = [seg];
  }

  /** Deletes whole sealed segments that end at or below `offset`, oldest first; never the active one. */
  async deleteSegmentsBefore(offset: bigint): Promise<number> {
    // Deleting must work on a full disk, so a failed seal is not retried here (only waited for).
    await this.seals.waitAll();
    let deleted = 0;
    while (this.segments.length > 1 && (this.segments[0] as Segment).nextOffset <= offset) {
      const seg = this.segments.shift() as Segment;
      this.seals.discard([seg]);
      await seg.delete();
      deleted++;
    }
    if (deleted > 0) await this.deps.io.syncDir(this.deps.dir);
    return deleted;
  }

  /**
   * The offset below which retention.ms / retention.bytes allow deletion (Kafka semantics: a
   * segment expires when its largest timestamp is older than retention.ms; size retention removes
   * the oldest segments while the rest still hold retention.bytes).
   */
  retentionOffset(options: { now: number; retentionMs?: number; retentionBytes?: number }): bigint {
    let limit = this.logStart;
    let remaining = this.sizeBytes;
    for (const s of this.segments.slice(0, -1)) {
      const byTime = options.retentionMs !== undefined && s.maxTimestamp >= 0n && s.maxTimestamp < BigInt(options.now - options.retentionMs);
      const bySize = options.retentionBytes !== undefined && remaining - s.size >= options.retentionBytes;
      if (!byTime && !bySize) break;
      limit = s.nextOffset;
      remaining -= s.size;
    }
    return limit;
  }

  get dirty(): boolean {
    return this.active.dirty || this.seals.pending;
  }

  /** Makes everything appended so far durable, rolled segments included. */
  async flush(): Promise<void> {
    await this.seals.settleAll();
    await this.active.flush();
  }

  async close(): Promise<void> {
    await this.seals.waitAll();
    this.seals.discard(this.segments);
    for (const s of this.segments) await s.close();
  }
}
