// A FileIo that reports every operation to the storage health manager, so stalls of any kind
// (write, fsync, read, rename) are seen while they are still in flight.
import type { FileHandleIo, FileIo, OpenMode } from './file-io';
import type { StorageHealthManager } from './storage-health';

export class MonitoredFileIo implements FileIo {
  constructor(
    private readonly inner: FileIo,
    private readonly health: StorageHealthManager,
  ) {}

  async open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    const h = await this.health.track('open', () => this.inner.open(path, mode));
    return new MonitoredHandle(h, this.health);
  }
  mkdirp(path: string): Promise<void> {
    return this.health.track('mkdir', () => this.inner.mkdirp(path));
  }
  readdir(path: string): Promise<string[]> {
    return this.health.track('readdir', () => this.inner.readdir(path));
  }
  readFileIfExists(path: string): Promise<Buffer | undefined> {
    return this.health.track('read', () => this.inner.readFileIfExists(path));
  }
  writeFile(path: string, data: Uint8Array): Promise<void> {
    return this.health.track('write', () => this.inner.writeFile(path, data));
  }
  rename(from: string, to: string): Promise<void> {
    return this.health.track('rename', () => this.inner.rename(from, to));
  }
  unlinkIfExists(path: string): Promise<void> {
    return this.health.track('unlink', () => this.inner.unlinkIfExists(path));
  }
  syncDir(path: string): Promise<void> {
    return this.health.track('fsync', () => this.inner.syncDir(path));
  }
  sizeIfExists(path: string): Promise<number | undefined> {
    return this.health.track('stat', () => this.inner.sizeIfExists(path));
  }
  rmrf(path: string): Promise<void> {
    return this.health.track('unlink', () => this.inner.rmrf(path));
  }
}

class MonitoredHandle implements FileHandleIo {
  constructor(
    private readonly inner: FileHandleIo,
    private readonly health: StorageHealthManager,
  ) {}

  writeAll(buffer: Uint8Array, position: number): Promise<void> {
    return this.health.track('write', () => this.inner.writeAll(buffer, position));
  }
  writevAll(buffers: readonly Uint8Array[], position: number): Promise<void> {
    return this.health.track('write', () => this.inner.writevAll(buffers, position));
  }
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<number> {
    return this.health.track('read', () => this.inner.read(buffer, offset, length, position));
  }
  sync(): Promise<void> {
    return this.health.track('fsync', () => this.inner.sync());
  }
  truncate(length: number): Promise<void> {
    return this.health.track('truncate', () => this.inner.truncate(length));
  }
  size(): Promise<number> {
    return this.health.track('stat', () => this.inner.size());
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
