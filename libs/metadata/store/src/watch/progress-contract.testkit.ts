// ResourceWatch.progress(): a watch proves it is current at the store's revision although the
// writes since were outside its prefix, and never claims progress over a pending change.
import type { KvStore } from '../kv/kv';
import { watchPrefix, type ResourceEvent } from './resource-watch';

let prefixes = 0;

export function progressContract(kv: () => KvStore): void {
  const until = async (predicate: () => boolean): Promise<void> => {
    const start = Date.now();
    while (!predicate()) {
      if (Date.now() - start > 10_000) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('advances over writes elsewhere, never over a pending put or delete under its prefix', async () => {
    const root = `/progress-${process.pid}-${++prefixes}/`;
    const mine = `${root}mine/`;
    const put = (key: string, value: string) => kv().txn([], [{ type: 'put', key, value: JSON.stringify(value) }]);
    await put(`${mine}a`, 'a');
    const events: Array<ResourceEvent<string>> = [];
    const handle = await watchPrefix<string>(kv(), mine, {}, (e) => events.push(e));
    try {
      await until(() => events.length === 1);
      const start = handle.lastRevision();
      expect(await handle.progress()).toBeUndefined(); // nothing happened anywhere

      const elsewhere = await put(`${root}other/x`, 'x');
      expect(await handle.progress()).toBe(elsewhere.revision);
      expect(handle.lastRevision()).toBe(elsewhere.revision);
      expect(handle.lastRevision()).toBeGreaterThan(start);

      // A change under the prefix: no progress past it until it is delivered.
      const change = await put(`${mine}b`, 'b');
      const claimed = await handle.progress();
      expect(claimed === undefined || claimed < change.revision).toBe(true);
      await until(() => events.some((e) => e.type === 'put' && e.key === `${mine}b`));

      // A delete under the prefix changes the count: no progress over it either.
      const gone = await kv().txn([], [{ type: 'delete', key: `${mine}a` }]);
      const afterDelete = await handle.progress();
      expect(afterDelete === undefined || afterDelete < gone.revision || events.some((e) => e.type === 'delete')).toBe(true);
      await until(() => events.some((e) => e.type === 'delete' && e.key === `${mine}a`));
      expect(events.map((e) => e.type)).toEqual(['snapshot', 'put', 'delete']);
    } finally {
      await handle.cancel();
    }
  });
}
