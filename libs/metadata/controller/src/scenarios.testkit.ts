// Controller scenarios run on the in-memory KV store (unit) and on a real etcd (integration).
import { randomBytes } from 'node:crypto';
import { cellId, unwrap } from '@stratus/metadata-model';
import { MetadataStore, type KvStore, type ResourceEvent, type TopicPartitions } from '@stratus/metadata-store';
import { Controller } from './controller';
import { reconcileLeadership } from './failover';

export async function until(predicate: () => boolean | Promise<boolean>, timeoutMs: number, label: string): Promise<number> {
  const start = Date.now();
  while (!(await predicate())) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return Date.now() - start;
}

/** Records every partition-state version a watcher sees and checks the safety invariants. */
export class LeadershipHistory {
  readonly seen = new Map<string, { epoch: number; leader: string | null }[]>();
  record = (event: ResourceEvent<TopicPartitions>): void => {
    const docs = event.type === 'snapshot' ? [...event.items.values()] : event.type === 'put' ? [event.value] : [];
    for (const doc of docs) {
      for (const p of doc.partitions) {
        const id = `${doc.topicId}/${p.index}`;
        this.seen.set(id, [...(this.seen.get(id) ?? []), { epoch: p.leaderEpoch, leader: p.leader }]);
      }
    }
  };

  /** No epoch goes backwards; no epoch ever names two different leaders. */
  violations(): string[] {
    const out: string[] = [];
    for (const [id, versions] of this.seen) {
      const leaderOf = new Map<number, string | null>();
      versions.forEach((v, i) => {
        const prev = versions[i - 1];
        if (prev && v.epoch < prev.epoch) out.push(`${id}: epoch went back ${prev.epoch} -> ${v.epoch}`);
        if (leaderOf.has(v.epoch) && leaderOf.get(v.epoch) !== v.leader) out.push(`${id}: epoch ${v.epoch} had leaders ${leaderOf.get(v.epoch)} and ${v.leader}`);
        leaderOf.set(v.epoch, v.leader);
      });
    }
    return out;
  }
}

export async function makeCluster(kv: KvStore): Promise<{ store: MetadataStore; tenant: Awaited<ReturnType<MetadataStore['tenants']['create']>> }> {
  const store = new MetadataStore({ kv, root: `/ctl-${randomBytes(4).toString('hex')}/stratus/v1/` });
  unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
  for (const [id, az] of [['r1', 'a'], ['r2', 'b'], ['r3', 'c']] as const) {
    unwrap(await store.nodes.register({ id, kind: 'replication', address: `${id}:1`, az, cell: cellId('c1'), ttlSeconds: 60 }));
  }
  const tenant = await store.tenants.create({ name: 'acme', cell: cellId('c1') });
  return { store, tenant };
}

export function controllerScenarios(kv: () => KvStore, options: { ttlSeconds: number; boundMs: number }): void {
  const ttlMs = options.ttlSeconds * 1000;

  it('elects exactly one controller; a crashed controller is replaced and its token is fenced', async () => {
    const { store } = await makeCluster(kv());
    // A leaderless topic (no broker yet), so a controller pass will have work once one registers.
    const tenant = unwrap(await store.tenants.create({ name: 'fenced', cell: cellId('c1') }));
    unwrap(await store.topics.create({ tenantId: tenant.id, name: 't', numPartitions: 2 }));
    const make = (id: string) => new Controller({ store, candidateId: id, ttlSeconds: options.ttlSeconds, tickMs: 100 });
    const a = make('a');
    const b = make('b');
    a.start();
    b.start();
    try {
      await until(() => a.isLeader || b.isLeader, 5000, 'first election');
      await new Promise((r) => setTimeout(r, 300));
      expect([a.isLeader, b.isLeader].filter(Boolean)).toHaveLength(1);
      const [leader, follower] = a.isLeader ? [a, b] : [b, a];
      const oldToken = leader.token as bigint;
      await leader.crash();
      const took = await until(() => follower.isLeader, ttlMs + options.boundMs, 'takeover');
      expect(took).toBeLessThanOrEqual(ttlMs + options.boundMs);
      expect(follower.token as bigint).toBeGreaterThan(oldToken);
      await follower.crash();
      // Work appears; the deposed controller's pass must not land a single write.
      unwrap(await store.nodes.register({ id: 'bz', kind: 'broker', address: 'bz:1', az: 'a', cell: cellId('c1'), ttlSeconds: 60 }));
      const stale = await reconcileLeadership(store, oldToken);
      expect(stale).toEqual({ moved: 0, topicsWritten: 0, conflicts: 1 });
      const after = unwrap(await store.topics.describe(tenant.id, { name: 't' }));
      expect(after.partitions.every((p) => p.leader === null && p.leaderEpoch === 0)).toBe(true);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('broker lease expiry moves its partitions to live brokers with higher epochs; watchers see it; invariants hold across controller failover', async () => {
    const { store, tenant: t } = await makeCluster(kv());
    const tenant = unwrap(t);
    const doomed = unwrap(await store.nodes.register({ id: 'b1', kind: 'broker', address: 'b1:1', az: 'a', cell: cellId('c1'), ttlSeconds: options.ttlSeconds }));
    const keeper = setInterval(() => void store.nodes.heartbeat({ kind: 'broker', id: 'b1', leaseId: doomed.leaseId }), ttlMs / 4);
    const survivorLease = unwrap(await store.nodes.register({ id: 'b2', kind: 'broker', address: 'b2:1', az: 'b', cell: cellId('c1'), ttlSeconds: 60 }));
    const created = unwrap(await store.topics.create({ tenantId: tenant.id, name: 'orders', numPartitions: 6 }));
    const onB1 = created.partitions.filter((p) => p.leader === 'b1').map((p) => p.index);
    expect(onB1.length).toBe(3);

    const history = new LeadershipHistory();
    const watch = await store.watch({ kind: 'partitions', tenantId: tenant.id }, {}, history.record);
    const controllers = ['m1', 'm2'].map((id) => new Controller({ store, candidateId: id, ttlSeconds: options.ttlSeconds, tickMs: 100 }));
    controllers.forEach((c) => c.start());
    try {
      await until(() => controllers.some((c) => c.isLeader), 5000, 'election');
      // Kill the controller first, then the broker: the successor must do the failover.
      const leader = controllers.find((c) => c.isLeader) as Controller;
      await leader.crash();
      clearInterval(keeper);
      const killedAt = Date.now();
      await until(
        async () => unwrap(await store.topics.describe(tenant.id, { name: 'orders' })).partitions.every((p) => p.leader === 'b2'),
        2 * ttlMs + options.boundMs,
        'failover of b1 partitions',
      );
      // Broker lease TTL plus controller TTL (the controller died too) plus a small bound.
      expect(Date.now() - killedAt).toBeLessThanOrEqual(2 * ttlMs + options.boundMs);
      const after = unwrap(await store.topics.describe(tenant.id, { name: 'orders' }));
      for (const p of after.partitions) expect(p.leaderEpoch).toBe(onB1.includes(p.index) ? 1 : 0);
      await until(() => onB1.every((i) => history.seen.get(`${created.topic.topicId}/${i}`)?.some((v) => v.leader === 'b2' && v.epoch === 1) ?? false), 5000, 'watchers to see the move');
      expect(history.violations()).toEqual([]);
      expect(survivorLease.id).toBe('b2');
    } finally {
      clearInterval(keeper);
      await Promise.all(controllers.map((c) => c.stop()));
      await watch.cancel();
    }
  });

  it('a broker that restarts (new registration generation) gets its partitions back only with a higher epoch', async () => {
    const { store, tenant: t } = await makeCluster(kv());
    const tenant = unwrap(t);
    const first = unwrap(await store.nodes.register({ id: 'b8', kind: 'broker', address: 'b8:1', az: 'a', cell: cellId('c1'), ttlSeconds: 60 }));
    const created = unwrap(await store.topics.create({ tenantId: tenant.id, name: 'restart', numPartitions: 2 }));
    expect(created.partitions.map((p) => [p.leader, p.leaderEpoch, p.leaderGeneration])).toEqual([
      ['b8', 0, first.generation],
      ['b8', 0, first.generation],
    ]);
    const controller = new Controller({ store, candidateId: 'solo', ttlSeconds: options.ttlSeconds, tickMs: 100 });
    controller.start();
    try {
      await until(() => controller.isLeader, 5000, 'election');
      // The process restarts: old registration ends, a new incarnation registers under the same id.
      unwrap(await store.nodes.deregister({ kind: 'broker', id: 'b8', leaseId: first.leaseId }));
      const second = unwrap(await store.nodes.register({ id: 'b8', kind: 'broker', address: 'b8:1', az: 'a', cell: cellId('c1'), ttlSeconds: 60 }));
      await until(
        async () => unwrap(await store.topics.describe(tenant.id, { name: 'restart' })).partitions.every((p) => p.leader === 'b8' && p.leaderGeneration === second.generation),
        5000,
        'epoch bump for the new incarnation',
      );
      const after = unwrap(await store.topics.describe(tenant.id, { name: 'restart' }));
      expect(after.partitions.every((p) => p.leaderEpoch >= 1)).toBe(true);
    } finally {
      await controller.stop();
    }
  });

  it('assigns leaders to leaderless partitions when a broker registers, bumping the epoch', async () => {
    const { store, tenant: t } = await makeCluster(kv());
    const tenant = unwrap(t);
    const created = unwrap(await store.topics.create({ tenantId: tenant.id, name: 'waiting', numPartitions: 2 }));
    expect(created.partitions.map((p) => p.leader)).toEqual([null, null]);
    const controller = new Controller({ store, candidateId: 'solo', ttlSeconds: options.ttlSeconds, tickMs: 100 });
    controller.start();
    try {
      await until(() => controller.isLeader, 5000, 'election');
      unwrap(await store.nodes.register({ id: 'b7', kind: 'broker', address: 'b7:1', az: 'c', cell: cellId('c1'), ttlSeconds: 60 }));
      await until(async () => unwrap(await store.topics.describe(tenant.id, { name: 'waiting' })).partitions.every((p) => p.leader === 'b7'), 5000, 'assignment');
      expect(unwrap(await store.topics.describe(tenant.id, { name: 'waiting' })).partitions.map((p) => p.leaderEpoch)).toEqual([1, 1]);
    } finally {
      await controller.stop();
    }
  });
}
