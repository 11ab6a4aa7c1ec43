import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { makeTempDir, useHarness } from '@stratus/platform-testing';
import { DATA_DIR_LOCK_FILE, DataDirLockedError, lockDataDir } from './data-dir-lock';

useHarness();

describe('data directory lock', () => {
  it('lets one process in, refuses a second live one, and releases on close', async () => {
    const dir = await makeTempDir('lock');
    // A real other process that stays alive while we try.
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    try {
      const otherPid = other.pid as number;
      const held = await lockDataDir(dir.path, otherPid);
      expect(readFileSync(join(dir.path, DATA_DIR_LOCK_FILE), 'utf8')).toBe(`${otherPid}\n`);
      await expect(lockDataDir(dir.path)).rejects.toThrow(DataDirLockedError);
      await expect(lockDataDir(dir.path)).rejects.toThrow(`in use by another process (pid ${otherPid})`);
      await held.release();
      expect(existsSync(join(dir.path, DATA_DIR_LOCK_FILE))).toBe(false);
      const mine = await lockDataDir(dir.path);
      await mine.release();
    } finally {
      other.kill('SIGKILL');
    }
  });

  it('takes over a lock left by a dead process, by our own pid, or torn', async () => {
    const dir = await makeTempDir('lock-stale');
    const dead = spawn(process.execPath, ['-e', '0'], { stdio: 'ignore' });
    await new Promise((resolve) => dead.once('exit', resolve));
    for (const content of [`${dead.pid}\n`, `${process.pid}\n`, 'garbage']) {
      writeFileSync(join(dir.path, DATA_DIR_LOCK_FILE), content);
      const lock = await lockDataDir(dir.path);
      expect(readFileSync(join(dir.path, DATA_DIR_LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      await lock.release();
    }
  });
});
