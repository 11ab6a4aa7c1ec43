// Watchers across an etcd crash: every topic change is delivered exactly once, in order, and a
// watcher resuming from a compacted revision gets a fresh snapshot.
import { unwrap } from '@stratus/metadata-model';
import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { waitFor } from '../kv/kv-contract.testkit';
import type { ResourceEvent } from '../watch/resource-watch';
import { makeFixture } from './fixtures.testkit';
import type { Topic } from './types';

describe('metadata watch across an etcd restart', () => {
  useHarness();

  it('delivers every change exactly once when etcd is killed and restarted mid-stream', async () => {
    const etcd = await startEtcd();
    const kv = new EtcdKvStore({ endpoints: etcd.endpoints });
    try {
      const { store, tenant } = await makeFixture(kv);
      const events: ResourceEvent<Topic>[] = [];
      const handle = await store.watch({ kind: 'topics', tenantId: tenant }, {}, (e) => events.push(e));
      const names = Array.from({ length: 12 }, (_, i) => `t${i}`);
      for (const name of names.slice(0, 6)) unwrap(await store.topics.create({ tenantId: tenant, name }));
      etcd.kill('SIGKILL');
      await etcd.process.exited;
      await etcd.restart();
      // The writer retries through the restart; the watcher reconnects on its own.
      for (const name of names.slice(6)) {
        let done = false;
        while (!done) {
          try {
            unwrap(await store.topics.create({ tenantId: tenant, name }));
            done = true;
          } catch {
            await new Promise((r) => setTimeout(r, 200));
          }
        }
      }
      unwrap(await store.topics.delete(tenant, { name: 't0' }));
      await waitFor(() => events.length >= 14, 30_000, 'all watch events');
      await new Promise((r) => setTimeout(r, 500));
      expect(events[0]?.type).toBe('snapshot');
      const changes = events.slice(1).map((e) => (e.type === 'put' ? `put ${e.value.name}` : e.type === 'delete' ? `delete ${e.key.split('/').pop()}` : 'snapshot'));
      expect(changes).toEqual([...names.map((n) => `put ${n}`), 'delete t0']);
      const revisions = events.slice(1).map((e) => e.revision);
      expect([...revisions].sort((a, b) => (a < b ? -1 : 1))).toEqual(revisions);
      expect(new Set(revisions).size).toBe(revisions.length);
      await handle.cancel();
    } finally {
      await kv.close();
    }
  });
});
