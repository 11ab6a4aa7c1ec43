// The filesystem port. The log does all its I/O through it so that tests can inject faults
// (ENOSPC, stalls) and the storage health manager can time every operation.
import { promises as fsp, constants as fsc } from 'node:fs';

export interface FileHandleIo {
  /** Writes all of `buffer` at `position`; rejects on any short write. */
  writeAll(buffer: Uint8Array, position: number): Promise<void>;
  /** Writes `buffers` back to back from `position` (one pwritev where possible); rejects if it makes no progress. */
  writevAll(buffers: readonly Uint8Array[], position: number): Promise<void>;
  /** Reads up to `length` bytes at `position`; returns how many were read (short at end of file). */
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number>;
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  size(): Promise<number>;
  close(): Promise<void>;
}

export type OpenMode = 'read' | 'read-write-create';

export interface FileIo {
  open(path: string, mode: OpenMode): Promise<FileHandleIo>;
  mkdirp(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
  /** Whole small file (checkpoints); undefined when it does not exist. */
  readFileIfExists(path: string): Promise<Buffer | undefined>;
  writeFile(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is not an error (deletions are replayed after crashes). */
  unlinkIfExists(path: string): Promise<void>;
  /** fsync of a directory, so that creates, renames and unlinks in it survive a power loss. */
  syncDir(path: string): Promise<void>;
  /** File size, or undefined when missing. */
  sizeIfExists(path: string): Promise<number | undefined>;
  rmrf(path: string): Promise<void>;
}

class NodeFileHandle implements FileHandleIo {
  constructor(private readonly fh: fsp.FileHandle) {}

  async writeAll(buffer: Uint8Array, position: number): Promise<void> {
    let done = 0;
    while (done < buffer.length) {
      const { bytesWritten } = await this.fh.write(buffer, done, buffer.length - done, position + done);
      if (bytesWritten <= 0) throw new Error(`write made no progress at position ${position + done}`);
      done += bytesWritten;
    }
  }

  async writevAll(buffers: readonly Uint8Array[], position: number): Promise<void> {
    let rest = buffers;
    let at = position;
    while (rest.length > 0) {
      const { bytesWritten } = await this.fh.writev(rest as Uint8Array[], at);
      if (bytesWritten <= 0) throw new Error(`write made no progress at position ${at}`);
      at += bytesWritten;
      rest = dropBytes(rest, bytesWritten);
    }
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await this.fh.read(buffer, offset + done, length - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return done;
  }

  sync(): Promise<void> {
    return this.fh.sync();
  }

  truncate(length: number): Promise<void> {
    return this.fh.truncate(length);
  }

  async size(): Promise<number> {
    return (await this.fh.stat()).size;
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}

/** `buffers` without their first `n` bytes (what a short writev left to write). */
export function dropBytes(buffers: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let skip = n;
  for (const b of buffers) {
    if (skip >= b.length) {
      skip -= b.length;
      continue;
    }
    out.push(skip > 0 ? b.subarray(skip) : b);
    skip = 0;
  }
  return out;
}

/** The first `n` bytes of `buffers` (a partial write, for fault injection). */
export function takeBytes(buffers: readonly Uint8Array[], n: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  let left = n;
  for (const b of buffers) {
    if (left <= 0) break;
    out.push(left >= b.length ? b : b.subarray(0, left));
    left -= b.length;
  }
  return out;
}

const isMissing = (err: unknown): boolean => (err as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';

/** The real filesystem. */
export class NodeFileIo implements FileIo {
  async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    const flags = mode === 'read' ? fsc.O_RDONLY : fsc.O_RDWR | fsc.O_CREAT;
    return new NodeFileHandle(await fsp.open(path, flags, 0o644));
  }

  async mkdirp(path: string): Promise<void> {
    await fsp.mkdir(path, { recursive: true });
  }

  readdir(path: string): Promise<string[]> {
    return fsp.readdir(path);
  }

  async readFileIfExists(path: string): Promise<Buffer | undefined> {
    try {
      return await fsp.readFile(path);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    const fh = await fsp.open(path, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_TRUNC, 0o644);
    try {
      await new NodeFileHandle(fh).writeAll(data, 0);
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  rename(from: string, to: string): Promise<void> {
    return fsp.rename(from, to);
  }

  async unlinkIfExists(path: string): Promise<void> {
    try {
      await fsp.unlink(path);
    } catch (err) {
      if (!isMissing(err)) throw err;
    }
  }

  async syncDir(path: string): Promise<void> {
    const fh = await fsp.open(path, fsc.O_RDONLY);
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  }

  async sizeIfExists(path: string): Promise<number | undefined> {
    try {
      return (await fsp.stat(path)).size;
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw err;
    }
  }

  rmrf(path: string): Promise<void> {
    return fsp.rm(path, { recursive: true, force: true });
  }
}
