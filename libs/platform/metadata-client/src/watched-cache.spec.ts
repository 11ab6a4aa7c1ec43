// The engine against a scripted fake stream: snapshot, changes, resume revisions, reset swaps,
// listener faults and reconnects, without a network.
import { EventEmitter } from 'node:events';
import { WatchedCache } from './watched-cache';
import type { DecodedWatchMessage, WatchSource, WatchStream } from './watch-source';
import type { WatchChange, WatchLogger } from './types';

type Msg = DecodedWatchMessage<string, number>;

class FakeStream extends EventEmitter implements WatchStream {
  cancelled = false;
  cancel(): void {
    this.cancelled = true;
  }
  send(message: Msg): void {
    this.emit('data', message);
  }
}

const silent: WatchLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function harness(options: { currentRevision?: () => Promise<bigint>; keep?: (v: number) => boolean } = {}) {
  const opened: Array<{ resume: bigint; stream: FakeStream }> = [];
  const source: WatchSource<string, number> = {
    name: 'fake',
    open: (resume) => {
      const stream = new FakeStream();
      opened.push({ resume, stream });
      return stream;
    },
    decode: (m) => m as Msg,
    currentRevision: options.currentRevision ?? (() => Promise.resolve(0n)),
    keep: options.keep,
  };
  const logs: string[] = [];
  const logger: WatchLogger = { ...silent, error: (_o, msg) => logs.push(msg ?? ''), warn: (_o, msg) => logs.push(msg ?? '') };
  const cache = new WatchedCache(source, { logger, backoff: { initialMs: 1, maxMs: 2, random: () => 0 } });
  const changes: Array<WatchChange<string, number>> = [];
  cache.onChange((c) => changes.push(c));
  const last = () => opened[opened.length - 1] as { resume: bigint; stream: FakeStream };
  return { cache, opened, changes, logs, last };
}

const reset = (revision: bigint, reason: 'initial' | 'compacted' = 'initial'): Msg => ({ revision, event: { type: 'reset', reason } });
const updates = (revision: bigint, upserted: Array<[string, number]>, deleted: string[] = []): Msg => ({ revision, event: { type: 'updates', upserted, deleted } });
const complete = (revision: bigint): Msg => ({ revision, event: { type: 'snapshotComplete' } });
const tick = () => new Promise((r) => setTimeout(r, 10));

describe('WatchedCache', () => {
  it('is ready only after snapshot_complete, then applies changes in order', async () => {
    const { cache, changes, last } = harness();
    expect(last().resume).toBe(0n);
    last().stream.send(reset(5n));
    last().stream.send(updates(5n, [['a', 1], ['b', 2]]));
    expect(cache.isReady).toBe(false);
    expect(cache.size).toBe(0);
    last().stream.send(complete(5n));
    await cache.ready(100);
    expect([...cache.entries()]).toEqual([['a', 1], ['b', 2]]);
    expect(cache.revision).toBe(5n);
    expect(changes).toEqual([{ type: 'reset', reason: 'initial', revision: 5n, size: 2 }]);
    last().stream.send(updates(7n, [['a', 10]], ['b']));
    expect(cache.get('a')).toBe(10);
    expect(cache.has('b')).toBe(false);
    expect(cache.revision).toBe(7n);
    expect(changes.slice(1)).toEqual([
      { type: 'put', key: 'a', value: 10, previous: 1, revision: 7n },
      { type: 'delete', key: 'b', previous: 2, revision: 7n },
    ]);
    cache.close();
  });

  it('reconnects from the last revision after the stream fails, without losing or repeating changes', async () => {
    const { cache, opened, last } = harness();
    last().stream.send(reset(3n));
    last().stream.send(updates(3n, [['a', 1]]));
    last().stream.send(complete(3n));
    last().stream.send(updates(4n, [['b', 2]]));
    last().stream.emit('error', new Error('14 UNAVAILABLE'));
    await tick();
    expect(opened).toHaveLength(2);
    expect(last().resume).toBe(4n);
    // Late events of the dead stream are ignored.
    opened[0]?.stream.send(updates(9n, [['zombie', 0]]));
    expect(cache.has('zombie')).toBe(false);
    last().stream.send(updates(6n, [['c', 3]]));
    expect([...cache.keys()].sort()).toEqual(['a', 'b', 'c']);
    last().stream.emit('end');
    await tick();
    expect(last().resume).toBe(6n);
    cache.close();
  });

  it('builds a compaction snapshot on the side and swaps it in whole with a reset change', async () => {
    const { cache, changes, last } = harness();
    last().stream.send(reset(3n));
    last().stream.send(updates(3n, [['a', 1], ['b', 2]]));
    last().stream.send(complete(3n));
    last().stream.send(reset(20n, 'compacted'));
    last().stream.send(updates(20n, [['b', 22], ['c', 3]]));
    // Mid-snapshot readers still see the old, consistent state.
    expect([...cache.keys()]).toEqual(['a', 'b']);
    expect(cache.revision).toBe(3n);
    last().stream.send(complete(20n));
    expect([...cache.entries()]).toEqual([['b', 22], ['c', 3]]);
    expect(cache.revision).toBe(20n);
    expect(changes[changes.length - 1]).toEqual({ type: 'reset', reason: 'compacted', revision: 20n, size: 2 });
    cache.close();
  });

  it('drops a half-received snapshot when the stream dies and resumes from the last complete state', async () => {
    const { cache, last } = harness();
    last().stream.send(reset(3n));
    last().stream.send(updates(3n, [['a', 1]]));
    last().stream.send(complete(3n));
    last().stream.send(reset(30n, 'compacted'));
    last().stream.send(updates(30n, [['x', 1]]));
    last().stream.emit('error', new Error('gone'));
    await tick();
    expect(last().resume).toBe(3n);
    expect([...cache.keys()]).toEqual(['a']);
    cache.close();
  });

  it('before the first snapshot a reconnect asks for a snapshot again', async () => {
    const { cache, last } = harness();
    last().stream.send(reset(3n));
    last().stream.emit('error', new Error('gone'));
    await tick();
    expect(last().resume).toBe(0n);
    cache.close();
  });

  it('waitForRevision resolves true when reached and false on timeout; catchUp uses the current revision', async () => {
    let current = 8n;
    const { cache, last } = harness({ currentRevision: () => Promise.resolve(current) });
    const early = cache.waitForRevision(2n, 1_000);
    last().stream.send(reset(3n));
    last().stream.send(complete(3n));
    await expect(early).resolves.toBe(true);
    const later = cache.waitForRevision(8n, 1_000);
    const caught = cache.catchUp(1_000);
    await tick();
    last().stream.send({ revision: 8n, event: { type: 'progress' } });
    await expect(later).resolves.toBe(true);
    await expect(caught).resolves.toBe(true);
    current = 100n;
    await expect(cache.catchUp(20)).resolves.toBe(false);
    await expect(cache.waitForRevision(50n, 5)).resolves.toBe(false);
    cache.close();
  });

  it('ready() rejects on timeout and on close; waits resolve false on close', async () => {
    const { cache } = harness();
    await expect(cache.ready(5)).rejects.toThrow('no complete snapshot');
    const pending = cache.ready();
    const wait = cache.waitForRevision(1n, 10_000);
    cache.close();
    await expect(pending).rejects.toThrow('closed');
    await expect(wait).resolves.toBe(false);
  });

  it('a throwing listener is logged and does not stop the cache or other listeners', async () => {
    const { cache, changes, logs, last } = harness();
    cache.onChange(() => {
      throw new Error('listener bug');
    });
    last().stream.send(reset(1n));
    last().stream.send(complete(1n));
    last().stream.send(updates(2n, [['a', 1]]));
    expect(cache.get('a')).toBe(1);
    expect(changes.map((c) => c.type)).toEqual(['reset', 'put']);
    expect(logs).toContain('metadata watch listener threw');
    cache.close();
  });

  it('a value the source does not keep (moved away) becomes a delete', () => {
    const { cache, changes, last } = harness({ keep: (v) => v > 0 });
    last().stream.send(reset(1n));
    last().stream.send(updates(1n, [['a', 1], ['gone', -1]]));
    last().stream.send(complete(1n));
    expect([...cache.keys()]).toEqual(['a']);
    last().stream.send(updates(2n, [['a', -5]]));
    expect(cache.has('a')).toBe(false);
    expect(changes[changes.length - 1]).toEqual({ type: 'delete', key: 'a', previous: 1, revision: 2n });
    cache.close();
  });

  it('a message the decoder cannot handle restarts the stream from the last revision instead of throwing', async () => {
    const opened: FakeStream[] = [];
    const logs: string[] = [];
    const cache = new WatchedCache<string, number>(
      {
        name: 'bad',
        open: () => {
          const s = new FakeStream();
          opened.push(s);
          return s;
        },
        decode: (m) => {
          if (m === 'boom') throw new Error('decoder bug');
          return m as Msg;
        },
        currentRevision: () => Promise.resolve(0n),
      },
      { logger: { ...silent, error: (_o, msg) => logs.push(msg ?? '') }, backoff: { initialMs: 1, maxMs: 1 } },
    );
    opened[0]?.emit('data', 'boom');
    expect(opened[0]?.cancelled).toBe(true);
    await tick();
    expect(opened).toHaveLength(2);
    expect(logs).toContain('could not apply a metadata watch message; restarting the stream');
    cache.close();
    expect(opened[1]?.cancelled).toBe(true);
  });
});
