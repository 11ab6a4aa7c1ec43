// Issue 7 acceptance with real processes: Java kafka-clients consumers (each its own JVM) in groups on
// the local cluster `npm start` runs — classic and KIP-848 (group.protocol=consumer) membership,
// kill -9 of a member, resuming from committed offsets and static membership (coordinator failover
// is groups-failover.chaos.spec.ts, on a cluster of its own since it kills a broker). Timeouts are generous: the machine may be small and shared, and the
// KIP-848 session timeout is the broker's (group.consumer.session.timeout.ms, 45 s as in Kafka).
import { useHarness, waitFor } from '@stratus/platform-testing';
import { launchLocalCluster, type LaunchedCluster } from './launch.testkit';
import {
  allConsumed,
  gaps,
  groupMemberClasspath,
  JavaMember,
  lastCommits,
  produceRecords,
  waitShared,
} from './groups.testkit';
import type { ClusterCredentials } from './cluster-credentials';

useHarness();

const PARTITIONS = 12;
const PER_PARTITION = 60;
const KIP848_SESSION_MS = 45_000;
const CLASSIC_SESSION_MS = 10_000;

describe('consumer groups with Java kafka-clients (real processes)', () => {
  let cluster: LaunchedCluster;
  let creds: ClusterCredentials;
  let classpath: string;
  const members: JavaMember[] = [];

  const start = (name: string, topic: string, config: Record<string, string>): JavaMember => {
    const m = JavaMember.start(classpath, creds, { name, topic, config: { 'max.poll.records': '10', ...config } });
    members.push(m);
    return m;
  };

  beforeAll(async () => {
    [cluster, classpath] = await Promise.all([launchLocalCluster('groups-java', { startTimeoutMs: 600_000 }), groupMemberClasspath()]);
    creds = cluster.credentials();
  }, 720_000);

  afterAll(async () => {
    await Promise.all(members.filter((m) => m.running).map((m) => m.kill9()));
    if (!cluster) return;
    cluster.child.kill('SIGTERM');
    await cluster.exited;
  }, 120_000);

  /**
   * Three members share 12 partitions exclusively; one is killed (-9) and its partitions move to the
   * other two once its session expires; the survivors close; more records arrive; a restarted member
   * resumes every partition exactly at the committed offset; no offset is ever skipped.
   */
  async function killAndResume(protocol: 'classic' | 'consumer', sessionMs: number): Promise<void> {
    const topic = `groups-${protocol}`;
    const group = `java-${protocol}`;
    const config: Record<string, string> = { 'group.id': group, 'group.protocol': protocol };
    if (protocol === 'classic') config['session.timeout.ms'] = String(sessionMs);
    await produceRecords(classpath, creds, { topic, partitions: PARTITIONS, perPartition: PER_PARTITION, create: true });

    const trio = [start(`${protocol}-1`, topic, config), start(`${protocol}-2`, topic, config), start(`${protocol}-3`, topic, config)];
    await waitShared(trio, PARTITIONS, 240_000, cluster);
    const [a, b, victim] = trio as [JavaMember, JavaMember, JavaMember];
    const victimParts = victim.assignment();
    await waitFor(() => victim.commits.length > 0, { timeoutMs: 120_000, intervalMs: 250, description: `a commit by ${victim.describe()}` });

    const killedAt = Date.now();
    await victim.kill9();
    // Before the victim got them, other members may have owned (and committed) these partitions.
    const committedBefore = lastCommits(trio, killedAt);
    const consumedBefore = new Map<number, number>();
    for (const m of trio) for (const r of m.records) if (r.at <= killedAt) consumedBefore.set(r.p, Math.max(consumedBefore.get(r.p) ?? -1, r.o));
    // The victim's partitions move to the survivors once its session expires (plus a rebalance).
    await waitShared([a, b], PARTITIONS, sessionMs + 120_000, cluster);
    const movedAfterMs = Date.now() - killedAt;
    process.stdout.write(`${protocol}: the killed member's partitions moved after ${movedAfterMs} ms (session timeout ${sessionMs} ms)\n`);
    // A new owner of a victim partition starts at what the victim committed: never before its last
    // printed commit (that would re-deliver acknowledged records beyond at-least-once), never after
    // the last record it was given (that would skip records).
    for (const p of victimParts) {
      await waitFor(() => [a, b].some((m) => m.records.some((r) => r.p === p && r.at > killedAt)) || (consumedBefore.get(p) ?? -1) + 1 >= PER_PARTITION, {
        timeoutMs: 120_000,
        intervalMs: 250,
        description: `partition ${p} to be consumed again after the kill`,
      });
      const first = [a, b].flatMap((m) => m.records.filter((r) => r.p === p && r.at > killedAt)).sort((x, y) => x.at - y.at)[0];
      if (!first) continue;
      expect(first.o).toBeGreaterThanOrEqual(committedBefore.get(p) ?? 0);
      expect(first.o).toBeLessThanOrEqual((consumedBefore.get(p) ?? -1) + 1);
    }
    await waitFor(() => allConsumed(trio, PARTITIONS, PER_PARTITION), { timeoutMs: 240_000, intervalMs: 500, description: `all records consumed: ${gaps(trio, PARTITIONS, PER_PARTITION).join('; ')}` });

    // Restart: the survivors close (their commits are synchronous), more records arrive, and a new
    // member resumes every partition exactly where the group committed.
    await Promise.all([a.close(), b.close()]);
    const committed = lastCommits(trio);
    for (let p = 0; p < PARTITIONS; p++) expect(committed.get(p)).toBe(PER_PARTITION);
    await produceRecords(classpath, creds, { topic, partitions: PARTITIONS, perPartition: PER_PARTITION, create: false });
    const restarted = start(`${protocol}-restarted`, topic, config);
    const everyone = [...trio, restarted];
    await waitFor(() => allConsumed(everyone, PARTITIONS, 2 * PER_PARTITION), {
      timeoutMs: 240_000,
      intervalMs: 500,
      description: `the restarted member to consume the new records: ${restarted.describe()}; ${gaps(everyone, PARTITIONS, 2 * PER_PARTITION).join('; ')}`,
    });
    for (let p = 0; p < PARTITIONS; p++) {
      const offsets = restarted.records.filter((r) => r.p === p).map((r) => r.o);
      expect(Math.min(...offsets)).toBe(committed.get(p));
    }
    await restarted.close();
  }

  it('classic protocol: 3 members share 12 partitions, a killed member\'s partitions move, commits are resumed', async () => {
    await killAndResume('classic', CLASSIC_SESSION_MS);
  }, 1_200_000);

  it('classic static membership: a member killed and restarted within the session timeout gets its partitions back without a rebalance', async () => {
    const topic = 'groups-static';
    await produceRecords(classpath, creds, { topic, partitions: PARTITIONS, perPartition: 10, create: true });
    // A long session timeout: the restarted JVM must be back before it expires, even on a slow machine.
    const config = (instance: string): Record<string, string> => ({ 'group.id': 'java-static', 'group.protocol': 'classic', 'group.instance.id': instance, 'session.timeout.ms': '90000' });
    const trio = [start('static-1', topic, config('s1')), start('static-2', topic, config('s2')), start('static-3', topic, config('s3'))];
    await waitShared(trio, PARTITIONS, 240_000, cluster);
    const [a, b, c] = trio as [JavaMember, JavaMember, JavaMember];
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
