// One contract suite every KvStore implementation must pass (in-memory in unit tests, etcd in
// integration tests), so the metadata store behaves the same on both.
import type { KvEvent, KvStore, KvWatchError } from './kv';

export interface KvHarness {
  readonly kv: KvStore;
  /** A prefix no other test uses. */
  readonly prefix: string;
}

export function waitFor(predicate: () => boolean, timeoutMs = 10_000, label = 'condition'): Promise<void> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      if (predicate()) return resolve();
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${label}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export function kvContract(setup: () => KvHarness): void {
  it('puts, gets and ranges with etcd revision semantics', async () => {
    const { kv, prefix } = setup();
    const first = await kv.txn([], [{ type: 'put', key: `${prefix}a`, value: '1' }]);
    const second = await kv.txn([], [{ type: 'put', key: `${prefix}a`, value: '2' }, { type: 'put', key: `${prefix}b`, value: 'x' }]);
    expect(second.revision).toBe(first.revision + 1n);
    const a = await kv.get(`${prefix}a`);
    expect(a?.value.toString()).toBe('2');
    expect(a?.createRevision).toBe(first.revision);
    expect(a?.modRevision).toBe(second.revision);
    expect(a?.version).toBe(2n);
    const range = await kv.range(prefix);
    expect(range.entries.map((e) => e.key)).toEqual([`${prefix}a`, `${prefix}b`]);
    expect(range.revision).toBeGreaterThanOrEqual(second.revision);
    expect(await kv.get(`${prefix}missing`)).toBeUndefined();
  });

  it('counts keys now, at an earlier revision, and by minimum mod revision', async () => {
    const { kv, prefix } = setup();
    const one = await kv.txn([], [{ type: 'put', key: `${prefix}a`, value: '1' }, { type: 'put', key: `${prefix}b`, value: '1' }]);
    const two = await kv.txn([], [{ type: 'put', key: `${prefix}b`, value: '2' }, { type: 'put', key: `${prefix}c`, value: '1' }]);
    const three = await kv.txn([], [{ type: 'delete', key: `${prefix}a` }]);
    await kv.txn([], [{ type: 'put', key: `${prefix.slice(0, -1)}~outside-count`, value: 'x' }]);
    expect(await kv.count(prefix)).toMatchObject({ count: 2 });
    expect((await kv.count(prefix)).revision).toBeGreaterThan(three.revision);
    expect(await kv.count(prefix, { revision: one.revision })).toEqual({ count: 2, revision: one.revision });
    expect(await kv.count(prefix, { revision: two.revision })).toEqual({ count: 3, revision: two.revision });
    expect(await kv.count(prefix, { revision: three.revision })).toEqual({ count: 2, revision: three.revision });
    expect((await kv.count(prefix, { minModRevision: two.revision })).count).toBe(2);
    expect((await kv.count(prefix, { minModRevision: two.revision + 1n })).count).toBe(0);
  });

  it('applies a transaction only when every compare holds', async () => {
    const { kv, prefix } = setup();
    const created = await kv.txn([{ key: `${prefix}k`, target: 'createRevision', op: '==', value: 0n }], [{ type: 'put', key: `${prefix}k`, value: 'v1' }]);
    expect(created.succeeded).toBe(true);
    const again = await kv.txn([{ key: `${prefix}k`, target: 'createRevision', op: '==', value: 0n }], [{ type: 'put', key: `${prefix}k`, value: 'v2' }, { type: 'put', key: `${prefix}other`, value: 'x' }]);
    expect(again.succeeded).toBe(false);
    expect((await kv.get(`${prefix}k`))?.value.toString()).toBe('v1');
    expect(await kv.get(`${prefix}other`)).toBeUndefined();
    const stale = await kv.txn([{ key: `${prefix}k`, target: 'modRevision', op: '==', value: created.revision - 1n }], [{ type: 'delete', key: `${prefix}k` }]);
    expect(stale.succeeded).toBe(false);
    const fresh = await kv.txn([{ key: `${prefix}k`, target: 'modRevision', op: '==', value: created.revision }], [{ type: 'deletePrefix', prefix }]);
    expect(fresh.succeeded).toBe(true);
    expect((await kv.range(prefix)).entries).toHaveLength(0);
  });

  it('deletes keys when their lease expires or is revoked, and keepalive extends it', async () => {
    const { kv, prefix } = setup();
    const short = await kv.grantLease(1);
    const revoked = await kv.grantLease(30);
    await kv.txn([], [{ type: 'put', key: `${prefix}short`, value: 'x', lease: short }, { type: 'put', key: `${prefix}revoked`, value: 'y', lease: revoked }]);
    expect((await kv.get(`${prefix}short`))?.lease).toBe(short);
    expect(await kv.keepAliveOnce(short)).toBe(true);
    await kv.revokeLease(revoked);
    expect(await kv.get(`${prefix}revoked`)).toBeUndefined();
    let gone = false;
    const poll = setInterval(() => void kv.get(`${prefix}short`).then((e) => (gone = e === undefined)), 100);
    try {
      await waitFor(() => gone, 10_000, 'lease expiry');
    } finally {
      clearInterval(poll);
    }
    expect(await kv.keepAliveOnce(short)).toBe(false);
  });

  it('watches a prefix from a revision in order, then reports compaction past it', async () => {
    const { kv, prefix } = setup();
    const start = await kv.txn([], [{ type: 'put', key: `${prefix}w1`, value: '1' }]);
    await kv.txn([], [{ type: 'put', key: `${prefix}w2`, value: '2' }, { type: 'delete', key: `${prefix}w1` }]);
    await kv.txn([], [{ type: 'put', key: `other-${prefix}`, value: 'not mine' }]);
    const seen: KvEvent[] = [];
    const errors: KvWatchError[] = [];
    const watch = await kv.watchPrefix(prefix, start.revision, { onEvents: (e) => seen.push(...e), onError: (e) => errors.push(e) });
    await kv.txn([], [{ type: 'put', key: `${prefix}w3`, value: '3' }]);
    await waitFor(() => seen.length === 4, 10_000, 'watch events');
    expect(seen.map((e) => [e.type, e.key.slice(prefix.length)])).toEqual([
      ['put', 'w1'],
      ['put', 'w2'],
      ['delete', 'w1'],
      ['put', 'w3'],
    ]);
    expect(seen[1]?.revision).toBe(seen[2]?.revision);
    expect(seen[2]?.prevValue?.toString()).toBe('1');
    expect(seen[3]?.createRevision).toBe(seen[3]?.revision);
    await watch.cancel();
    const last = await kv.txn([], [{ type: 'put', key: `${prefix}w4`, value: '4' }]);
    await kv.compact(last.revision);
    const late: KvWatchError[] = [];
    const stale = await kv.watchPrefix(prefix, start.revision, { onEvents: () => undefined, onError: (e) => late.push(e) });
    await waitFor(() => late.length > 0, 10_000, 'compaction error');
    expect(late[0]).toEqual({ kind: 'compacted', compactRevision: last.revision });
    await stale.cancel();
    expect(errors).toEqual([]);
  });
}
