// kill -9 of a process streaming appends: after restart every acknowledged append is there with
// its exact bytes, any torn tail is gone, and the replica catches up from a peer.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { catchUpFrom } from './catch-up';
import { crashTestBatch } from './test-batches';
import { must, openReplica, tempDir } from './test-support';
import { leaderEpoch as E } from './types';
import type { PartitionReplica } from './partition-replica';

const ROOT = join(__dirname, '../../../..');

/** Runs the writer until it has acknowledged `acks` appends, SIGKILLs it, returns the highest acked log end. */
function runAndKill(dir: string, epoch: number, acks: number): Promise<bigint> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-r', '@swc-node/register', join(__dirname, 'crash-writer.fixture.ts'), dir, String(epoch)], {
      cwd: ROOT,
      env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let seen = 0;
    let highest = -1n;
    let buffered = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      buffered += d.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = /^ack (\d+)$/.exec(line);
        if (!m) continue;
        const end = BigInt(m[1] as string);
        if (end > highest) highest = end;
        if (++seen === acks) child.kill('SIGKILL');
      }
    });
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(highest);
      else reject(new Error(`writer exited with ${code}: ${stderr}`));
    });
  });
}

async function verifyPrefix(r: PartitionReplica, upTo: bigint, epochOf: (o: bigint) => number): Promise<void> {
  let at = 0n;
  while (at < upTo) {
    const chunk = must(await r.read(at, 256 * 1024));
    let pos = 0;
    let o = at;
    while (pos < chunk.records.length) {
      const expected = crashTestBatch(o, epochOf(o));
      expect(chunk.records.subarray(pos, pos + expected.length).equals(expected)).toBe(true);
      pos += expected.length;
      o += 1n;
    }
    at = chunk.nextOffset;
  }
}

describe('kill -9 while a writer streams appends', () => {
  it('keeps every acknowledged append intact, drops any torn tail, and catches up from a peer', async () => {
    const dir = await tempDir('crash');
    const peerDir = await tempDir('crash-peer');
    try {
      const firstAcked = await runAndKill(dir.path, 1, 400);
      expect(firstAcked).toBeGreaterThanOrEqual(400n);
      // Second life of the same node: recover, continue under a new epoch, kill again.
      const secondAcked = await runAndKill(dir.path, 2, 300);
      expect(secondAcked).toBeGreaterThan(firstAcked);

      const r = await openReplica(dir.path, { config: { segmentBytes: 256 * 1024 } });
      const state = r.logState();
      expect(state.logEnd).toBeGreaterThanOrEqual(secondAcked);
      const epoch2Start = state.epochHistory.find((e) => e.epoch === 2)?.startOffset as bigint;
      expect(epoch2Start).toBeGreaterThanOrEqual(firstAcked);
      await verifyPrefix(r, state.logEnd, (o) => (o < epoch2Start ? 1 : 2));
      expect(state.segmentCount).toBeGreaterThan(2);

      // A peer that kept receiving (the new leader's log) is ahead; the node catches up from it.
      const peer = await openReplica(peerDir.path, { config: { segmentBytes: 256 * 1024 } });
      must(await peer.fence(E(3)));
      must(await catchUpFrom(r, peer, E(3)));
      for (let o = state.logEnd; o < state.logEnd + 50n; o++) {
        must(await peer.append(E(3), o, crashTestBatch(o, 3)));
      }
      must(await r.fence(E(3)));
      const caught = must(await catchUpFrom(peer, r, E(3)));
      expect(caught.logEnd).toBe(state.logEnd + 50n);
      expect(r.logState().epochHistory).toEqual(peer.logState().epochHistory);
      await verifyPrefix(r, caught.logEnd, (o) => (o < epoch2Start ? 1 : o < state.logEnd ? 2 : 3));
      await peer.close();
      await r.close();
    } finally {
      await dir.remove();
      await peerDir.remove();
    }
  });
});
