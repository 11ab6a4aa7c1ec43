// Small checkpoint files (promised epoch, epoch history, truncation intent) are replaced
// atomically and durably: write a temp file, fsync it, rename over the target, fsync the
// directory. A crash leaves either the old or the new content, never a torn mix.
import { basename, dirname, join } from 'node:path';
import type { FileIo } from './file-io';

export const TEMP_SUFFIX = '.tmp';

export async function writeDurably(io: FileIo, path: string, data: Uint8Array): Promise<void> {
  const temp = join(dirname(path), `${basename(path)}${TEMP_SUFFIX}`);
  try {
    await io.writeFile(temp, data);
  } catch (err) {
    await io.unlinkIfExists(temp).catch(() => undefined);
    throw err;
  }
  await io.rename(temp, path);
  await io.syncDir(dirname(path));
}

export async function removeDurably(io: FileIo, path: string): Promise<void> {
  await io.unlinkIfExists(path);
  await io.syncDir(dirname(path));
}
