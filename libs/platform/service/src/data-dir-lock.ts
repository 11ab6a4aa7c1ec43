// One process per data directory. Two replication processes on the same directory would both
// append to the same segment files and silently interleave bytes; a lock file created with O_EXCL
// holding the owner's pid makes the second one refuse to start with a clear message. A lock left
// behind by a crashed process (kill -9, OOM) is taken over: its pid is no longer running, or it is
// our own pid (containers restart the service as pid 1 on the same persistent volume).
import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';

export const DATA_DIR_LOCK_FILE = '.stratus.lock';

export class DataDirLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
  ) {
    super(`data directory ${dataDir} is in use by another process (pid ${ownerPid}); stop it or use another directory`);
    this.name = 'DataDirLockedError';
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface DataDirLock {
  readonly path: string;
  release(): Promise<void>;
}

/** Takes the directory's lock (the directory must exist) or throws DataDirLockedError. */
export async function lockDataDir(dataDir: string, pid: number = process.pid): Promise<DataDirLock> {
  const path = join(dataDir, DATA_DIR_LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fh = await open(path, 'wx', 0o644);
      try {
        await fh.writeFile(`${pid}\n`);
        await fh.sync();
      } finally {
        await fh.close();
      }
      let released = false;
      return {
        path,
        release: async () => {
          if (released) return;
          released = true;
          // Only remove a lock that is still ours (a takeover may have replaced it).
          const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
          if (owner === pid) await unlink(path).catch(() => undefined);
        },
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number.parseInt(await readFile(path, 'utf8').catch(() => ''), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== pid && running(owner)) throw new DataDirLockedError(dataDir, owner);
      // Stale (dead owner, our own pid, or a torn write): remove it and try again.
      await unlink(path).catch(() => undefined);
    }
  }
  throw new Error(`could not take the lock ${path}: it keeps changing`);
}
