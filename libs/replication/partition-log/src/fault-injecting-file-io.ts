// A FileIo wrapper for tests and chaos drills: makes writes fail the way a full disk does (a short
// write followed by ENOSPC) or hang the way a stalled disk does.
import { takeBytes, type FileHandleIo, type FileIo, type OpenMode } from './file-io';

export interface WriteFault {
  /** errno code of the failure, e.g. ENOSPC, EDQUOT or EIO. */
  readonly code: string;
  /** Bytes of the failing write that still reach the file first (a real ENOSPC is often partial). */
  readonly partialBytes?: number;
}

function errno(code: string, op: string): NodeJS.ErrnoException {
  const err: NodeJS.ErrnoException = new Error(`${code}: injected fault, ${op}`);
  err.code = code;
  return err;
}

export class FaultInjectingFileIo implements FileIo {
  private writeFault: WriteFault | undefined;
  private stall: Promise<void> | undefined;
  private releaseStall: (() => void) | undefined;

  constructor(private readonly inner: FileIo) {}

  /** Every write (segment data, index, checkpoint) fails with `fault` until cleared. */
  failWrites(fault: WriteFault): void {
    this.writeFault = fault;
  }

  clearWriteFault(): void {
    this.writeFault = undefined;
  }

  /** Every subsequent operation waits until `resume()` (a hung device). */
  stallAll(): void {
    if (this.stall) return;
    this.stall = new Promise((resolve) => (this.releaseStall = resolve));
  }

  resume(): void {
    this.releaseStall?.();
    this.stall = undefined;
    this.releaseStall = undefined;
  }

  /** Applied to every operation: waits out a stall. */
  async gate(): Promise<void> {
    while (this.stall) await this.stall;
  }

  /** Called by writes: throws the configured fault after writing its partial prefix. */
  async checkWrite(op: string, write: (bytes: number) => Promise<void>, length: number): Promise<void> {
    await this.gate();
    const fault = this.writeFault;
    if (!fault) return write(length);
    const partial = Math.min(fault.partialBytes ?? 0, length);
    if (partial > 0) await write(partial);
    throw errno(fault.code, op);
  }

  async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    await this.gate();
    if (mode === 'read-write-create' && this.writeFault && (await this.inner.sizeIfExists(path)) === undefined) {
      throw errno(this.writeFault.code, `create ${path}`);
    }
    return new FaultyHandle(await this.inner.open(path, mode), this, path);
  }

  async mkdirp(path: string): Promise<void> {
    await this.checkWrite(`mkdir ${path}`, () => this.inner.mkdirp(path), 0);
  }

  async readdir(path: string): Promise<string[]> {
    await this.gate();
    return this.inner.readdir(path);
  }

  async readFileIfExists(path: string): Promise<Buffer | undefined> {
    await this.gate();
    return this.inner.readFileIfExists(path);
  }

  async writeFile(path: string, data: Uint8Array): Promise<void> {
    await this.checkWrite(`write ${path}`, (n) => this.inner.writeFile(path, data.subarray(0, n)), data.length);
  }

  async rename(from: string, to: string): Promise<void> {
    await this.gate();
    return this.inner.rename(from, to);
  }

  async unlinkIfExists(path: string): Promise<void> {
    await this.gate();
    return this.inner.unlinkIfExists(path);
  }

  async syncDir(path: string): Promise<void> {
    await this.gate();
    return this.inner.syncDir(path);
  }

  async sizeIfExists(path: string): Promise<number | undefined> {
    await this.gate();
    return this.inner.sizeIfExists(path);
  }

  async rmrf(path: string): Promise<void> {
    await this.gate();
    return this.inner.rmrf(path);
  }
}

class FaultyHandle implements FileHandleIo {
  constructor(
    private readonly inner: FileHandleIo,
    private readonly io: FaultInjectingFileIo,
    private readonly path: string,
  ) {}

  writeAll(buffer: Uint8Array, position: number): Promise<void> {
    return this.io.checkWrite(`write ${this.path}`, (n) => this.inner.writeAll(buffer.subarray(0, n), position), buffer.length);
  }

  writevAll(buffers: readonly Uint8Array[], position: number): Promise<void> {
    const length = buffers.reduce((n, b) => n + b.length, 0);
    return this.io.checkWrite(`write ${this.path}`, (n) => this.inner.writevAll(takeBytes(buffers, n), position), length);
  }

  async read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    await this.io.gate();
    return this.inner.read(buffer, offset, length, position);
  }

  async sync(): Promise<void> {
    await this.io.gate();
    return this.inner.sync();
  }

  async truncate(length: number): Promise<void> {
    await this.io.gate();
    return this.inner.truncate(length);
  }

  async size(): Promise<number> {
    await this.io.gate();
    return this.inner.size();
  }

  close(): Promise<void> {
    // Closing never stalls, so shutdown of a test cannot hang on an injected stall.
    return this.inner.close();
  }
}
