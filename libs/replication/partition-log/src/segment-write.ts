// How appended bytes reach a segment file. A group commit hands over the appends' own buffers:
// they are never concatenated (that copy cost as much CPU as the CRC check) but gathered into
// pieces of up to WRITE_PIECE_BYTES, each written with one pwritev. Pieces are written by a few
// concurrent calls, because one thread copying into the page cache is several times slower than
// the kernel accepts writes from a few threads (libuv runs file I/O on its 4-thread pool), and
// writes of a few hundred KiB cost less CPU per byte than 64 KiB ones. The pieces are disjoint, so
// the bytes on disk are those of one sequential write; every started write settles before this
// returns. Calls for consecutive runs overlap (Segment.startAppend); the segment cuts a failed
// write back only after every call in flight settled (Segment.drain).
import type { FileHandleIo } from './file-io';

/** Largest single write call: bigger parts are split so that several threads copy them. */
export const WRITE_PIECE_BYTES = 256 * 1024;
/** A piece gathering more buffers than this (tiny batches) is copied into one buffer instead. */
export const MAX_PIECE_BUFFERS = 64;
/** Writes in flight at once (libuv's default thread pool size). */
export const MAX_CONCURRENT_WRITES = 4;

export interface WritePiece {
  readonly buffers: readonly Buffer[];
  readonly position: number;
  readonly length: number;
}

/** Cuts `parts`, to be stored back to back from `start`, into write calls (see the file comment). */
export function planWrites(parts: readonly Buffer[], start: number): WritePiece[] {
  const pieces: WritePiece[] = [];
  let gathered: Buffer[] = [];
  let gatheredBytes = 0;
  let gatheredAt = start;
  const close = (): void => {
    if (gatheredBytes === 0) return;
    const buffers = gathered.length > MAX_PIECE_BUFFERS ? [Buffer.concat(gathered, gatheredBytes)] : gathered;
    pieces.push({ buffers, position: gatheredAt, length: gatheredBytes });
    gathered = [];
    gatheredBytes = 0;
  };
  let at = start;
  for (const part of parts) {
    if (part.length > WRITE_PIECE_BYTES) {
      close();
      for (let o = 0; o < part.length; o += WRITE_PIECE_BYTES) {
        const slice = part.subarray(o, Math.min(part.length, o + WRITE_PIECE_BYTES));
        pieces.push({ buffers: [slice], position: at + o, length: slice.length });
      }
    } else if (part.length > 0) {
      if (gatheredBytes + part.length > WRITE_PIECE_BYTES) close();
      if (gatheredBytes === 0) gatheredAt = at;
      gathered.push(part);
      gatheredBytes += part.length;
    }
    at += part.length;
  }
  close();
  return pieces;
}

function writePiece(fh: FileHandleIo, piece: WritePiece): Promise<void> {
  const only = piece.buffers.length === 1 ? piece.buffers[0] : undefined;
  return only ? fh.writeAll(only, piece.position) : fh.writevAll(piece.buffers, piece.position);
}

/** Writes `parts` back to back from `start`; rejects (after every started write settled) if any write failed. */
export async function writeParts(fh: FileHandleIo, parts: readonly Buffer[], start: number): Promise<void> {
  const pieces = planWrites(parts, start);
  const only = pieces.length === 1 ? pieces[0] : undefined;
  if (only) return writePiece(fh, only);
  let next = 0;
  let failure: { error: unknown } | undefined;
  const worker = async (): Promise<void> => {
    while (failure === undefined && next < pieces.length) {
      const piece = pieces[next++] as WritePiece;
      try {
        await writePiece(fh, piece);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(MAX_CONCURRENT_WRITES, pieces.length) }, worker));
  if (failure) throw failure.error;
}
