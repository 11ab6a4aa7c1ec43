// The controller against a real etcd, with controllers and brokers as real processes that are
// killed (SIGKILL) or frozen (SIGSTOP), as in production failures.
import { join, resolve } from 'node:path';
import { cellId, unwrap } from '@stratus/metadata-model';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { ManagedProcess, startEtcd, useHarness, type EtcdHandle } from '@stratus/platform-testing';
import { controllerScenarios, LeadershipHistory, makeCluster, until } from './scenarios.testkit';

const TTL_SECONDS = 2;
const BOUND_MS = 3000;
const WORKSPACE = resolve(__dirname, '../../../..');
const FIXTURE = join(__dirname, '__fixtures__', 'member.fixture.ts');

function spawnMember(etcd: EtcdHandle, store: MetadataStore, args: string[]): Promise<ManagedProcess> {
  return ManagedProcess.spawn({
    label: `member ${args.join(' ')}`,
    command: process.execPath,
    args: ['-r', '@swc-node/register', FIXTURE, args[0] as string, etcd.clientUrl, store.keys.root, ...args.slice(1)],
    cwd: WORKSPACE,
    env: { ...process.env, TS_NODE_PROJECT: join(WORKSPACE, 'tsconfig.base.json') },
  });
}

const elected = (line: string): bigint | undefined => {
  const m = /^ELECTED (\d+)$/.exec(line);
  return m ? BigInt(m[1] as string) : undefined;
};

describe('Controller on a real etcd', () => {
  useHarness();
  let etcd: EtcdHandle;
  let kv: EtcdKvStore;
  beforeAll(async () => {
    etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());

  describe('in-process scenarios', () => {
    controllerScenarios(() => kv, { ttlSeconds: TTL_SECONDS, boundMs: BOUND_MS });
  });

  it('kill -9 the controller process: the other takes over; kill -9 a broker: its partitions move with higher epochs within the lease TTL plus a bound', async () => {
    const { store, tenant: t } = await makeCluster(kv);
    const tenant = unwrap(t);
    const survivor = unwrap(await store.nodes.register({ id: 'b2', kind: 'broker', address: 'b2:1', az: 'b', cell: cellId('c1'), ttlSeconds: 60 }));
    const broker = await spawnMember(etcd, store, ['broker', 'b1', String(TTL_SECONDS), 'a', 'c1']);
    await broker.waitForLine((l) => (l.startsWith('REGISTERED') ? true : undefined), { timeoutMs: 30_000, description: 'broker registration' });
    const created = unwrap(await store.topics.create({ tenantId: tenant.id, name: 'orders', numPartitions: 8 }));
    const onB1 = created.partitions.filter((p) => p.leader === 'b1').map((p) => p.index);
    expect(onB1.length).toBe(4);

    const history = new LeadershipHistory();
    const watch = await store.watch({ kind: 'partitions', tenantId: tenant.id }, {}, history.record);
    const members = await Promise.all(['m1', 'm2'].map((id) => spawnMember(etcd, store, ['controller', id, String(TTL_SECONDS)])));
    try {
      const first = await Promise.any(members.map((m) => m.waitForLine(elected, { timeoutMs: 30_000, description: 'election' }).then((token) => ({ m, token }))));
      await first.m.kill9();
      const other = members.find((m) => m !== first.m) as ManagedProcess;
      const killedAt = Date.now();
      const second = await other.waitForLine(elected, { timeoutMs: TTL_SECONDS * 1000 + BOUND_MS, description: 'takeover' });
      expect(second).toBeGreaterThan(first.token);
      expect(Date.now() - killedAt).toBeLessThanOrEqual(TTL_SECONDS * 1000 + BOUND_MS);

      await broker.kill9();
      const brokerKilledAt = Date.now();
      await until(
        async () => unwrap(await store.topics.describe(tenant.id, { name: 'orders' })).partitions.every((p) => p.leader === 'b2'),
        TTL_SECONDS * 1000 + BOUND_MS,
        'failover of b1 partitions',
      );
      expect(Date.now() - brokerKilledAt).toBeLessThanOrEqual(TTL_SECONDS * 1000 + BOUND_MS);
      const after = unwrap(await store.topics.describe(tenant.id, { name: 'orders' }));
      for (const p of after.partitions) expect(p.leaderEpoch).toBe(onB1.includes(p.index) ? 1 : 0);
      await until(() => onB1.every((i) => history.seen.get(`${created.topic.topicId}/${i}`)?.some((v) => v.leader === 'b2' && v.epoch === 1) ?? false), 5000, 'watchers to see the move');
      expect(history.violations()).toEqual([]);
      expect(survivor.id).toBe('b2');
    } finally {
      await watch.cancel();
      await Promise.all(members.map((m) => m.kill9()));
    }
  });

  it('a frozen controller (SIGSTOP past its lease) is fenced: after SIGCONT it steps down and its writes never land', async () => {
    const { store, tenant: t } = await makeCluster(kv);
    const tenant = unwrap(t);
    const history = new LeadershipHistory();
    const watch = await store.watch({ kind: 'partitions', tenantId: tenant.id }, {}, history.record);
    const members = await Promise.all(['f1', 'f2'].map((id) => spawnMember(etcd, store, ['controller', id, String(TTL_SECONDS)])));
    try {
      const first = await Promise.any(members.map((m) => m.waitForLine(elected, { timeoutMs: 30_000, description: 'election' }).then((token) => ({ m, token }))));
      first.m.pause();
      const other = members.find((m) => m !== first.m) as ManagedProcess;
      await other.waitForLine(elected, { timeoutMs: TTL_SECONDS * 1000 + BOUND_MS, description: 'takeover from a frozen controller' });
      // Give the survivor work while the old one is frozen, then thaw the old one.
      unwrap(await store.topics.create({ tenantId: tenant.id, name: 'work', numPartitions: 4 }));
      unwrap(await store.nodes.register({ id: 'b5', kind: 'broker', address: 'b5:1', az: 'c', cell: cellId('c1'), ttlSeconds: 60 }));
      first.m.resume();
      await first.m.waitForLine((l) => (l === `DEPOSED ${first.token}` ? true : undefined), { timeoutMs: TTL_SECONDS * 1000 + BOUND_MS, description: 'old controller to step down' });
      await until(async () => unwrap(await store.topics.describe(tenant.id, { name: 'work' })).partitions.every((p) => p.leader === 'b5'), 10_000, 'assignment by the new controller');
      expect(history.violations()).toEqual([]);
      expect(unwrap(await store.topics.describe(tenant.id, { name: 'work' })).partitions.map((p) => p.leaderEpoch)).toEqual([1, 1, 1, 1]);
    } finally {
      await watch.cancel();
      await Promise.all(members.map((m) => m.kill9()));
    }
  });
});
