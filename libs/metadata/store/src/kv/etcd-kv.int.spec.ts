import { startEtcd, useHarness, type EtcdHandle } from '@stratus/platform-testing';
import { EtcdKvStore } from './etcd-kv';
import type { KvEvent } from './kv';
import { kvContract, waitFor } from './kv-contract.testkit';

describe('EtcdKvStore against a real etcd', () => {
  useHarness();
  let etcd: EtcdHandle;
  let kv: EtcdKvStore;
  let n = 0;

  beforeAll(async () => {
    etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());

  describe('contract', () => {
    kvContract(() => ({ kv, prefix: `/contract/t${++n}/` }));
  });

  it('a watch survives an etcd restart without missing or repeating a change', async () => {
    const prefix = '/restart/';
    const start = await kv.txn([], [{ type: 'put', key: `${prefix}0`, value: '0' }]);
    const seen: KvEvent[] = [];
    const watch = await kv.watchPrefix(prefix, start.revision, { onEvents: (e) => seen.push(...e), onError: (e) => seen.push({ type: 'put', key: `ERROR ${e.kind}`, value: Buffer.alloc(0), revision: 0n, createRevision: 0n }) });
    for (let i = 1; i <= 5; i++) await kv.txn([], [{ type: 'put', key: `${prefix}${i}`, value: String(i) }]);
    await waitFor(() => seen.length === 6, 10_000, 'events before restart');
    etcd.kill('SIGKILL');
    await etcd.process.exited;
    await etcd.restart();
    // Writes through a second client right after the restart, before the watch has reconnected.
    const writer = new EtcdKvStore({ endpoints: etcd.endpoints });
    try {
      for (let i = 6; i <= 10; i++) await writer.txn([], [{ type: 'put', key: `${prefix}${i}`, value: String(i) }]);
    } finally {
      await writer.close();
    }
    await waitFor(() => seen.length >= 11, 30_000, 'events after restart');
    await new Promise((r) => setTimeout(r, 300));
    expect(seen.map((e) => e.key)).toEqual(Array.from({ length: 11 }, (_, i) => `${prefix}${i}`));
    await watch.cancel();
  });
});
