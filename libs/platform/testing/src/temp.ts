import { mkdtemp, rm } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registerResource } from './registry';
import { watchDir } from './watchdog';

/** Set STRATUS_TEST_KEEP=1 to keep temp dirs (data dirs and process logs) for post-mortems. */
export const keepTempDirs = (): boolean => process.env['STRATUS_TEST_KEEP'] === '1';

export interface TempDir {
  readonly path: string;
  remove(): Promise<void>;
}

/** A fresh directory under the OS temp dir, removed by harness cleanup. */
export async function makeTempDir(prefix: string): Promise<TempDir> {
  const path = await mkdtemp(join(tmpdir(), `stratus-${prefix.replace(/[^a-zA-Z0-9-]/g, '_')}-`));
  let removed = false;
  const unwatch = keepTempDirs() ? () => undefined : watchDir(path);
  const remove = async (): Promise<void> => {
    if (removed) return;
    removed = true;
    unregister();
    if (!keepTempDirs()) await rm(path, { recursive: true, force: true });
    unwatch();
  };
  const unregister = registerResource({
    label: `temp dir ${path}`,
    cleanup: remove,
    killNow: () => {
      if (!keepTempDirs()) rmSync(path, { recursive: true, force: true });
    },
  });
  return { path, remove };
}
