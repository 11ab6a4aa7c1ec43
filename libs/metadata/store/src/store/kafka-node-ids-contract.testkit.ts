// Kafka node ids of routers: assigned once per node id inside the registration transaction, from
// a counter that never hands an id out twice. Run on the in-memory KV and on a real etcd.
import { cellId, unwrap } from '@stratus/metadata-model';
import type { KvStore } from '../kv/kv';
import { MetadataStore } from './metadata-store';
import type { RegisterNodeRequest } from './nodes';

let roots = 0;

export function kafkaNodeIdContract(kv: () => KvStore): void {
  let store: MetadataStore;
  beforeEach(() => {
    // A fresh key space per test: ids start from the beginning each time.
    store = new MetadataStore({ kv: kv(), root: `/kafka-node-ids-${process.pid}-${++roots}/` });
  });

  const router = (id: string, extra: Partial<RegisterNodeRequest> = {}): RegisterNodeRequest => ({
    id,
    kind: 'router',
    address: `${id}:7000`,
    az: 'az-1',
    cell: cellId('c1'),
    ttlSeconds: 30,
    ...extra,
  });

  it('gives routers 1, 2, 3 … and other roles none', async () => {
    const ids = [];
    for (const id of ['r-a', 'r-b', 'r-c']) ids.push(unwrap(await store.nodes.register(router(id))).kafkaNodeId);
    expect(ids).toEqual([1, 2, 3]);
    const broker = unwrap(await store.nodes.register({ ...router('b-1'), kind: 'broker' }));
    expect(broker.kafkaNodeId).toBeUndefined();
    expect(unwrap(await store.nodes.register(router('r-d'))).kafkaNodeId).toBe(4);
  });

  it('keeps the id of a node id across re-registrations (new generations)', async () => {
    const first = unwrap(await store.nodes.register(router('r-a')));
    unwrap(await store.nodes.register(router('r-b')));
    unwrap(await store.nodes.deregister({ kind: 'router', id: 'r-a', leaseId: first.leaseId }));
    const again = unwrap(await store.nodes.register(router('r-a')));
    expect(again.generation).toBeGreaterThan(first.generation);
    expect(again.kafkaNodeId).toBe(first.kafkaNodeId);
    expect((await store.nodes.get('router', again.id))?.kafkaNodeId).toBe(first.kafkaNodeId);
  });

  it('concurrent first registrations get distinct ids with no gaps', async () => {
    const names = Array.from({ length: 10 }, (_, i) => `r-${i}`);
    const regs = await Promise.all(names.map(async (n) => unwrap(await store.nodes.register(router(n)))));
    expect(regs.map((r) => r.kafkaNodeId).sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('a refused duplicate registration does not use up an id', async () => {
    unwrap(await store.nodes.register(router('r-a')));
    const dup = await store.nodes.register(router('r-a'));
    expect(dup.ok ? 'ok' : dup.error.code).toBe(92); // DUPLICATE_RESOURCE
    expect(unwrap(await store.nodes.register(router('r-b'))).kafkaNodeId).toBe(2);
  });

  it('stores listeners and version with the registration; refuses a listener without host or port', async () => {
    const listeners = [{ name: 'EXTERNAL', host: 'kafka.example.com', port: 9092, securityProtocol: 'SASL_SSL' }];
    unwrap(await store.nodes.register(router('r-a', { kafkaListeners: listeners, version: '1.4.0' })));
    const [listed] = await store.nodes.list('router');
    expect(listed).toMatchObject({ kafkaNodeId: 1, kafkaListeners: listeners, version: '1.4.0' });
    const bad = await store.nodes.register(router('r-b', { kafkaListeners: [{ name: 'X', host: '', port: 0, securityProtocol: 'PLAINTEXT' }] }));
    expect(bad.ok ? 'ok' : bad.error.code).toBe(42); // INVALID_REQUEST
    expect(unwrap(await store.nodes.register(router('r-c'))).kafkaNodeId).toBe(2);
  });
}
