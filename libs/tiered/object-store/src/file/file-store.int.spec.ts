// kill -9 while the folder backend is writing: every object that putIfAbsent reported is there
// and intact, no object is ever partial, and the crash leftovers are swept at the next open.
import { spawn } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { makeTempDir, useHarness, waitFor } from '@stratus/platform-testing';
import { listAll } from '../types';
import { crashObjectBody } from './crash-writer.fixture';
import { FileObjectStore } from './file-store';

describe('FileObjectStore under kill -9', () => {
  useHarness();

  it.each([3, 7])('keeps every acknowledged object and never shows a partial one (killed after %d acks)', async (acksBeforeKill) => {
    const dir = (await makeTempDir('file-store-crash')).path;
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'crash-writer.fixture.ts'), dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const acked = new Set<number>();
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      for (const match of text.matchAll(/done (\d+)/g)) acked.add(Number(match[1]));
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      await waitFor(() => acked.size >= acksBeforeKill || child.exitCode !== null, { description: `${acksBeforeKill} acknowledged uploads`, timeoutMs: 60_000 });
      expect(stderr).toBe('');
      // Let the next upload get part way before the kill.
      await new Promise((resolve) => setTimeout(resolve, 20 + Math.floor(Math.random() * 60)));
    } finally {
      child.kill('SIGKILL');
      await exited;
    }

    const store = await FileObjectStore.open(dir, { staleTempMs: 0 });
    const present: number[] = [];
    for await (const { key, size } of listAll(store, 'segments/')) {
      const index = Number(key.slice('segments/'.length));
      const body = await store.get(key, { verifyChecksum: true });
      expect({ key, size, intact: body.equals(crashObjectBody(index)) }).toEqual({ key, size: body.length, intact: true });
      present.push(index);
    }
    for (const index of acked) expect(present).toContain(index);
    // At most the one in flight may exist beyond the acknowledged ones (published, answer not yet printed).
    expect(present.length - acked.size).toBeLessThanOrEqual(1);
    expect(await readdir(join(dir, 'tmp'))).toEqual([]);
  });
});
