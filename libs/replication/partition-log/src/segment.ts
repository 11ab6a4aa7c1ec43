// One segment: a .log file of batches stored as received plus its sparse offset and time
// indexes. The active (last) segment keeps its indexes in memory and writes them when it is
// sealed; recovery always rebuilds the active segment's indexes from a scan of its data.
import type { BatchHeader } from './batch-adapter';
import type { ScannedBatch, ScanStop } from './batch-scan';
import type { FileHandleIo, FileIo } from './file-io';
import { walkBatches } from './segment-reader';
import { writeParts } from './segment-write';
import {
  INDEX_SUFFIX,
  LOG_SUFFIX,
  TIME_INDEX_SUFFIX,
  decodeOffsetIndex,
  decodeTimeIndex,
  encodeOffsetIndex,
  encodeTimeIndex,
  floorEntry,
  segmentPath,
  type OffsetEntry,
  type TimeEntry,
} from './segment-files';

export interface SegmentInit {
  readonly io: FileIo;
  readonly dir: string;
  readonly baseOffset: bigint;
  readonly indexIntervalBytes: number;
  readonly createdAtMs: number;
}

export class Segment {
  readonly baseOffset: bigint;
  readonly logPath: string;
  size = 0;
  nextOffset: bigint;
  maxTimestamp = -1n;
  createdAtMs: number;
  /** Bytes written since the last fsync. */
  dirty = false;
  private offsetIndex: OffsetEntry[] = [];
  private timeIndex: TimeEntry[] = [];
  private bytesSinceIndexEntry = 0;
  private relOfMaxTimestamp = 0;
  private handle: FileHandleIo | undefined;
  /** The latest append handed to the disk and not yet indexed (see startAppend). */
  private pending: { readonly end: number; readonly endOffset: bigint } | undefined;
  /** Settles after every append handed over so far (rejects when one of them failed). */
  private tail: Promise<void> = Promise.resolve();
  /** A write that failed; cleared by drain(), which cuts the file back. */
  private writeFailure: { readonly error: unknown } | undefined;

  private constructor(private readonly init: SegmentInit) {
    this.baseOffset = init.baseOffset;
    this.nextOffset = init.baseOffset;
    this.createdAtMs = init.createdAtMs;
    this.logPath = segmentPath(init.dir, init.baseOffset, LOG_SUFFIX);
  }

  get indexPath(): string {
    return segmentPath(this.init.dir, this.baseOffset, INDEX_SUFFIX);
  }

  get timeIndexPath(): string {
    return segmentPath(this.init.dir, this.baseOffset, TIME_INDEX_SUFFIX);
  }

  get isEmpty(): boolean {
    return this.size === 0;
  }

  /** Where the next append goes: past the appends still being written. */
  get appendPosition(): number {
    return this.pending?.end ?? this.size;
  }

  /** The offset the next append must start at: past the appends still being written. */
  get appendEnd(): bigint {
    return this.pending?.endOffset ?? this.nextOffset;
  }

  get hasFailedWrite(): boolean {
    return this.writeFailure !== undefined;
  }

  /** A new empty segment file (the caller syncs the directory). */
  static async create(init: SegmentInit): Promise<Segment> {
    const seg = new Segment(init);
    seg.handle = await init.io.open(seg.logPath, 'read-write-create');
    await seg.handle.truncate(0);
    return seg;
  }

  /**
   * Recovery of the last segment: walk every batch checking framing, offsets and CRC32C, cut the
   * file after the last valid batch (a torn or corrupt tail), rebuild both indexes from the scan.
   */
  static async recoverActive(init: SegmentInit): Promise<{ segment: Segment; truncatedBytes: number; stop: ScanStop }> {
    const seg = new Segment(init);
    seg.handle = await init.io.open(seg.logPath, 'read-write-create');
    const fileSize = await seg.handle.size();
    const walk = await walkBatches(seg.handle, {
      fileSize,
      startPosition: 0,
      expectedBaseOffset: init.baseOffset,
      checkCrc: true,
      visit: (header, position) => {
        seg.track(header, position);
        return true;
      },
    });
    if (walk.validEnd < fileSize) {
      await seg.handle.truncate(walk.validEnd);
      await seg.handle.sync();
    }
    return { segment: seg, truncatedBytes: fileSize - walk.validEnd, stop: walk.stop };
  }

  /**
   * A sealed segment: its end is the next segment's base. Index files are loaded and checked;
   * inconsistent ones are rebuilt from the data and rewritten.
   */
  static async openSealed(init: SegmentInit & { nextOffset: bigint }): Promise<{ segment: Segment; rebuiltIndex: boolean } | undefined> {
    const seg = new Segment(init);
    seg.nextOffset = init.nextOffset;
    const offsetData = await init.io.readFileIfExists(seg.indexPath);
    const timeData = await init.io.readFileIfExists(seg.timeIndexPath);
    // Index files are written only after the sealed data was fsynced (see persistSeal): without
    // them the data may never have reached the disk, and the caller scans it like an active segment.
    if (!offsetData || !timeData) return undefined;
    seg.size = (await init.io.sizeIfExists(seg.logPath)) ?? 0;
    const relEnd = Number(init.nextOffset - init.baseOffset);
    const offsets = offsetData && decodeOffsetIndex(offsetData, seg.size, relEnd);
    const times = timeData && decodeTimeIndex(timeData, relEnd);
    if (offsets && times && (seg.size === 0 || times.length > 0)) {
      seg.offsetIndex = offsets;
      seg.timeIndex = times;
      const last = times[times.length - 1];
      if (last) {
        seg.maxTimestamp = last.timestamp;
        seg.relOfMaxTimestamp = last.rel;
      }
      return { segment: seg, rebuiltIndex: false };
    }
    const fh = await seg.readHandle();
    await walkBatches(fh, {
      fileSize: seg.size,
      startPosition: 0,
      checkCrc: false,
      visit: (header, position) => {
        seg.track(header, position);
        return true;
      },
    });
    seg.nextOffset = init.nextOffset;
    await seg.writeIndexFiles();
    return { segment: seg, rebuiltIndex: true };
  }

  /** Updates the in-memory end, timestamps and sparse indexes for a batch stored at `position`. */
  private track(header: BatchHeader, position: number): void {
    const rel = Number(header.baseOffset - this.baseOffset);
    if (position > 0 && this.bytesSinceIndexEntry >= this.init.indexIntervalBytes) {
      this.offsetIndex.push({ rel, position });
      this.bytesSinceIndexEntry = 0;
      if (this.maxTimestamp >= 0n && this.timeIndex[this.timeIndex.length - 1]?.timestamp !== this.maxTimestamp) {
        this.timeIndex.push({ timestamp: this.maxTimestamp, rel: this.relOfMaxTimestamp });
      }
    }
    if (header.maxTimestamp > this.maxTimestamp) {
      this.maxTimestamp = header.maxTimestamp;
      this.relOfMaxTimestamp = rel;
    }
    this.bytesSinceIndexEntry += header.sizeInBytes;
    this.size = position + header.sizeInBytes;
    this.nextOffset = header.lastOffset + 1n;
  }

  /**
   * Starts writing already validated batches, stored as `parts` back to back (positions relative
   * to their start), right after everything handed over before, without waiting for those writes:
   * the disk (libuv's thread pool) keeps writing while the next appends are checked. The returned
   * promise settles once these bytes AND every earlier append's bytes are written; only then are
   * they indexed (size, nextOffset, indexes) and visible to reads, so acknowledgements and the
   * log end follow the file's contiguous written prefix, in order. When one write fails, it and
   * every append after it reject (their bytes would follow a hole); drain() then cuts the file
   * back to the written prefix.
   */
  startAppend(parts: readonly Buffer[], batches: readonly ScannedBatch[]): Promise<void> {
    const start = this.appendPosition;
    let length = 0;
    for (const p of parts) length += p.length;
    const token = { end: start + length, endOffset: (batches[batches.length - 1] as ScannedBatch).header.lastOffset + 1n };
    this.pending = token;
    const write = this.readHandle()
      .then((fh) => writeParts(fh, parts, start))
      .then(
        () => undefined,
        (error: unknown) => ({ error }),
      );
    const previous = this.tail;
    const done = (async () => {
      const failed = await write;
      if (failed) this.writeFailure ??= failed;
      // An earlier failure fails this append too; its error is the one the caller sees.
      await previous;
      if (failed) throw failed.error;
      for (const b of batches) this.track(b.header, start + b.position);
      this.dirty = true;
      if (this.pending === token) this.pending = undefined;
    })();
    this.tail = done;
    return done;
  }

  /**
   * Waits until every started append settled. If one failed, cuts the file back to the written
   * prefix (never leave a partial batch behind: a full disk must not damage what is already
   * stored; no write is in flight any more, so nothing lands after the cut) and returns the error.
   */
  async drain(): Promise<unknown> {
    await this.tail.catch(() => undefined);
    const failure = this.writeFailure;
    if (!failure) return undefined;
    this.writeFailure = undefined;
    this.pending = undefined;
    this.tail = Promise.resolve();
    await (await this.readHandle()).truncate(this.size).catch(() => undefined);
    return failure.error;
  }

  /** Position of the batch containing `offset` (found through the sparse index, then a header walk). */
  async positionOf(offset: bigint): Promise<{ position: number; header: BatchHeader } | undefined> {
    const entry = floorEntry(this.offsetIndex, (e) => e.rel, Number(offset - this.baseOffset));
    let found: { position: number; header: BatchHeader } | undefined;
    await walkBatches(await this.readHandle(), {
      fileSize: this.size,
      startPosition: entry?.position ?? 0,
      checkCrc: false,
      visit: (header, position) => {
        if (header.lastOffset >= offset) {
          found = { position, header };
          return false;
        }
        return true;
      },
    });
    return found;
  }

  /** Offset of the first batch whose max timestamp is >= `timestamp`. */
  async offsetForTimestamp(timestamp: bigint): Promise<{ offset: bigint; timestamp: bigint } | undefined> {
    if (this.maxTimestamp < timestamp) return undefined;
    let start = 0;
    for (const e of this.timeIndex) {
      if (e.timestamp >= timestamp) break;
      const entry = floorEntry(this.offsetIndex, (o) => o.rel, e.rel);
      start = entry?.position ?? 0;
    }
    let found: { offset: bigint; timestamp: bigint } | undefined;
    await walkBatches(await this.readHandle(), {
      fileSize: this.size,
      startPosition: start,
      checkCrc: false,
      visit: (header) => {
        if (header.maxTimestamp >= timestamp) {
          found = { offset: header.baseOffset, timestamp: header.maxTimestamp };
          return false;
        }
        return true;
      },
    });
    return found;
  }

  async readBytes(position: number, length: number): Promise<Buffer> {
    const buf = Buffer.allocUnsafe(length);
    const got = await (await this.readHandle()).read(buf, 0, length, position);
    return buf.subarray(0, got);
  }

  /** Cuts the segment at `position` / `offset` (a batch boundary) and drops index entries past it. */
  async truncateTo(position: number, offset: bigint): Promise<void> {
    const fh = await this.readHandle();
    await fh.truncate(position);
    await fh.sync();
    const rel = Number(offset - this.baseOffset);
    this.offsetIndex = this.offsetIndex.filter((e) => e.rel < rel && e.position < position);
    this.timeIndex = this.timeIndex.filter((e) => e.rel < rel);
    const last = this.timeIndex[this.timeIndex.length - 1];
    this.maxTimestamp = last ? last.timestamp : -1n;
    this.relOfMaxTimestamp = last ? last.rel : 0;
    this.size = position;
    this.nextOffset = offset;
    this.bytesSinceIndexEntry = 0;
  }

  async flush(): Promise<void> {
    if (!this.dirty || !this.handle) return;
    this.dirty = false;
    try {
      await this.handle.sync();
    } catch (err) {
      this.dirty = true;
      throw err;
    }
  }

  /**
   * First half of sealing, on the append path: the final time index entry (Kafka writes the max
   * timestamp on roll) and removal of index files a truncation may have left from an earlier seal,
   * so that until persistSeal() finishes no index file vouches for this segment's data.
   */
  async beginSeal(): Promise<{ removedStaleIndexes: boolean }> {
    if (this.maxTimestamp >= 0n && this.timeIndex[this.timeIndex.length - 1]?.timestamp !== this.maxTimestamp) {
      this.timeIndex.push({ timestamp: this.maxTimestamp, rel: this.relOfMaxTimestamp });
    }
    let removedStaleIndexes = false;
    for (const path of [this.indexPath, this.timeIndexPath]) {
      if ((await this.init.io.sizeIfExists(path)) === undefined) continue;
      await this.init.io.unlinkIfExists(path);
      removedStaleIndexes = true;
    }
    return { removedStaleIndexes };
  }

  /**
   * Second half of sealing, off the append path: fsync the data, then write the index files. The
   * order is the recovery contract: a sealed segment with both index files on disk is durable; one
   * without them is scanned (CRC-checked) on open and cut at its first invalid batch.
   */
  async persistSeal(): Promise<void> {
    this.dirty = true;
    await this.flush();
    await this.writeIndexFiles();
  }

  private async writeIndexFiles(): Promise<void> {
    await this.init.io.writeFile(this.indexPath, encodeOffsetIndex(this.offsetIndex));
    await this.init.io.writeFile(this.timeIndexPath, encodeTimeIndex(this.timeIndex));
  }

  private async readHandle(): Promise<FileHandleIo> {
    if (!this.handle) this.handle = await this.init.io.open(this.logPath, 'read-write-create');
    return this.handle;
  }

  async close(): Promise<void> {
    // Callers drain first; this only makes sure no write is still using the handle.
    await this.tail.catch(() => undefined);
    const h = this.handle;
    this.handle = undefined;
    await h?.close();
  }

  /** Deletes the data file first, so a crash never leaves index files describing missing data as valid. */
  async delete(): Promise<void> {
    await this.close();
    await Segment.deleteFiles(this.init.io, this.init.dir, this.baseOffset);
  }

  static async deleteFiles(io: FileIo, dir: string, baseOffset: bigint): Promise<void> {
    await io.unlinkIfExists(segmentPath(dir, baseOffset, LOG_SUFFIX));
    await io.unlinkIfExists(segmentPath(dir, baseOffset, INDEX_SUFFIX));
    await io.unlinkIfExists(segmentPath(dir, baseOffset, TIME_INDEX_SUFFIX));
  }

  /** Index sizes, for tests and metrics. */
  get indexEntryCounts(): { offset: number; time: number } {
    return { offset: this.offsetIndex.length, time: this.timeIndex.length };
  }
}
