// Issue 7 acceptance: coordinator failover with real processes. Three Java kafka-clients consumers
// (classic protocol, each its own JVM) consume a topic; the test finds the broker that leads the
// group's `__stratus_offsets` partition through the metadata service and kill -9s it mid-consumption.
// Another broker must take the partition over and replay it: the group re-forms on the new
// coordinator, commits keep working, no partition is rewound behind a commit made before the kill,
// and nothing is skipped. A cluster of its own: the test kills one of its two brokers.
import { useHarness, waitFor } from '@stratus/platform-testing';
import { allConsumed, coordinatorBroker, gaps, groupMemberClasspath, lastCommits, produceRecords, servicePid, startJavaMember, useGroupCluster, waitShared } from './groups.testkit';
import type { MemberProcess } from './member-process.testkit';

useHarness();

const PARTITIONS = 12;
const PER_PARTITION = 40;

describe('group coordinator failover (real processes)', () => {
  let classpath = '';
  const env = useGroupCluster('groups-failover', async () => {
    classpath = await groupMemberClasspath();
  });

  const start = (name: string, topic: string, config: Record<string, string>): MemberProcess =>
    env.track(startJavaMember(classpath, env.creds, { name, topic, config: { 'max.poll.records': '10', ...config } }));

  it('coordinator failover: kill -9 of the broker leading the group\'s offsets partition during consumption keeps every committed offset', async () => {
    const topic = 'groups-failover';
    const group = 'java-failover';
    const config = { 'group.id': group, 'group.protocol': 'classic', 'session.timeout.ms': '30000' };
    await produceRecords(classpath, env.creds, { topic, partitions: PARTITIONS, perPartition: PER_PARTITION, create: true });
    const trio = [start('failover-1', topic, config), start('failover-2', topic, config), start('failover-3', topic, config)];
    await waitShared(trio, PARTITIONS, 240_000, env.cluster);
    await waitFor(() => trio.every((m) => m.commits.length > 0), { timeoutMs: 120_000, intervalMs: 250, description: 'commits by every member' });

    const coordinator = await coordinatorBroker(env.creds, group);
    expect(coordinator.nodeId).toMatch(/^broker-/);
    const killedAt = Date.now();
    process.kill(servicePid(env.cluster.child.pid ?? -1, coordinator.nodeId), 'SIGKILL');
    const committedBefore = lastCommits(trio, killedAt);

    // Another broker takes the offsets partition over (higher epoch) and replays it.
    await waitFor(async () => {
      const now = await coordinatorBroker(env.creds, group).catch(() => undefined);
      return now !== undefined && now.nodeId !== '' && now.nodeId !== coordinator.nodeId && now.epoch > coordinator.epoch;
    }, { timeoutMs: 180_000, intervalMs: 1_000, description: 'a new leader of the offsets partition' });
    // More records after the failover; the group (re-formed on the new coordinator) consumes them all.
    await produceRecords(classpath, env.creds, { topic, partitions: PARTITIONS, perPartition: PER_PARTITION, create: false });
    await waitFor(() => allConsumed(trio, PARTITIONS, 2 * PER_PARTITION), {
      timeoutMs: 480_000,
      intervalMs: 500,
      description: `every record after the failover: ${gaps(trio, PARTITIONS, 2 * PER_PARTITION).join('; ')}\n${trio.map((m) => m.describe()).join('\n')}`,
    });
    // Commits go through the new coordinator, and no partition was rewound behind a commit made
    // before the kill (replay lost nothing).
    expect(trio.some((m) => m.commits.some((c) => c.at > killedAt))).toBe(true);
    for (const m of trio) for (const r of m.records) if (r.at > killedAt) expect(r.o).toBeGreaterThanOrEqual(committedBefore.get(r.p) ?? 0);
    await Promise.all(trio.map((m) => m.close()));
    const final = lastCommits(trio);
    for (let p = 0; p < PARTITIONS; p++) expect(final.get(p)).toBe(2 * PER_PARTITION);
  }, 1_200_000);
});
