// A FileIo that hands every operation to another one. Wrappers that only care about some
// operations (a probe counting data writes, a test holding them back) extend it and override
// those, instead of restating the ten forwarding methods each time.
import type { FileHandleIo, FileIo, OpenMode } from './file-io';

export class ForwardingFileIo implements FileIo {
  constructor(protected readonly inner: FileIo) {}

  open(path: string, mode: OpenMode): Promise<FileHandleIo> {
    return this.inner.open(path, mode);
  }
  mkdirp(path: string): Promise<void> {
    return this.inner.mkdirp(path);
  }
  readdir(path: string): Promise<string[]> {
    return this.inner.readdir(path);
  }
  readFileIfExists(path: string): Promise<Buffer | undefined> {
    return this.inner.readFileIfExists(path);
  }
  writeFile(path: string, data: Uint8Array): Promise<void> {
    return this.inner.writeFile(path, data);
  }
  rename(from: string, to: string): Promise<void> {
    return this.inner.rename(from, to);
  }
  unlinkIfExists(path: string): Promise<void> {
    return this.inner.unlinkIfExists(path);
  }
  syncDir(path: string): Promise<void> {
    return this.inner.syncDir(path);
  }
  sizeIfExists(path: string): Promise<number | undefined> {
    return this.inner.sizeIfExists(path);
  }
  rmrf(path: string): Promise<void> {
    return this.inner.rmrf(path);
  }
}
