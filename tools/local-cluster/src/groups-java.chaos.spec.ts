// Issue 7 acceptance with real processes: Java kafka-clients consumers (each its own JVM) in groups on
// the local cluster `npm start` runs — classic and KIP-848 (group.protocol=consumer) membership,
// kill -9 of a member, resuming from committed offsets and static membership (coordinator failover
// is groups-failover.chaos.spec.ts, on a cluster of its own since it kills a broker). Timeouts are generous: the machine may be small and shared, and the
// KIP-848 session timeout is the broker's (group.consumer.session.timeout.ms, 45 s as in Kafka).
import { useHarness, waitFor } from '@stratus/platform-testing';
import { javaGroupClient } from './group-clients.testkit';
import { groupMemberClasspath, startJavaMember, useGroupCluster, waitShared } from './groups.testkit';
import { killMoveResume } from './groups-scenario.testkit';
import type { MemberProcess } from './member-process.testkit';

useHarness();

const PARTITIONS = 12;
const KIP848_SESSION_MS = 45_000;
const CLASSIC_SESSION_MS = 10_000;

describe('consumer groups with Java kafka-clients (real processes)', () => {
  let classpath = '';
  const env = useGroupCluster('groups-java', async () => {
    classpath = await groupMemberClasspath();
  });

  const start = (name: string, topic: string, config: Record<string, string>): MemberProcess =>
    env.track(startJavaMember(classpath, env.creds, { name, topic, config: { 'max.poll.records': '10', ...config } }));

  // Three members share 12 partitions exclusively; one is killed (-9) and its partitions move to the
  // other two once its session expires; a restarted member resumes at the commits (groups-scenario.testkit.ts).
  const killAndResume = async (protocol: 'classic' | 'consumer', sessionTimeoutMs: number): Promise<void> =>
    killMoveResume(env, await javaGroupClient(env.creds, classpath), { topic: `groups-${protocol}`, group: `java-${protocol}`, protocol, sessionTimeoutMs });

  it('classic protocol: 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killAndResume('classic', CLASSIC_SESSION_MS);
  }, 1_200_000);

  it('classic static membership: a member killed and restarted within the session timeout gets its partitions back without a rebalance', async () => {
    const topic = 'groups-static';
    await (await javaGroupClient(env.creds, classpath)).produce({ topic, partitions: PARTITIONS, perPartition: 10, create: true });
    // A long session timeout: the restarted JVM must be back before it expires, even on a slow machine.
    const config = (instance: string): Record<string, string> => ({ 'group.id': 'java-static', 'group.protocol': 'classic', 'group.instance.id': instance, 'session.timeout.ms': '90000' });
    const trio = [start('static-1', topic, config('s1')), start('static-2', topic, config('s2')), start('static-3', topic, config('s3'))];
    await waitShared(trio, PARTITIONS, 240_000, env.cluster);
    const [a, b, c] = trio as [MemberProcess, MemberProcess, MemberProcess];
    // Let the group settle: no assignment or generation change for a while.
    const quietSince = (ms: number): boolean => trio.every((m) => Date.now() - Math.max(m.assignments.at(-1)?.at ?? 0, m.generations.at(-1)?.at ?? 0) > ms);
    await waitFor(() => quietSince(8_000), { timeoutMs: 120_000, intervalMs: 500, description: 'the static group to settle' });
    const before = trio.map((m) => ({ parts: m.assignment().join(','), generation: m.generation(), events: m.assignments.length + m.generations.length }));
    await c.kill9();
    const back = start('static-3-restarted', topic, config('s3'));
    await waitFor(() => back.assignment().length > 0, { timeoutMs: 80_000, intervalMs: 250, description: `the restarted static member's assignment: ${back.describe()}` });
    // Give a rebalance, had one started, time to show on the other members (several heartbeats).
    await new Promise((r) => setTimeout(r, 12_000));
    expect(back.assignment().join(',')).toBe(before[2]?.parts);
    expect(back.generation()).toBe(before[2]?.generation);
    for (const [i, m] of [a, b].entries()) {
      expect(m.assignment().join(',')).toBe(before[i]?.parts);
      expect(m.generation()).toBe(before[i]?.generation);
      expect(m.assignments.length + m.generations.length).toBe(before[i]?.events);
    }
    await Promise.all([a.close(), b.close(), back.close()]);
  }, 900_000);

  it('KIP-848 (group.protocol=consumer): 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killAndResume('consumer', KIP848_SESSION_MS);
  }, 1_200_000);

});
