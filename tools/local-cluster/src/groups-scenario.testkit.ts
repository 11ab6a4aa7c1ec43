// The issue 7 acceptance scenario every client library goes through (Java classic and KIP-848,
// librdkafka, kafkajs): three members share 12 partitions exclusively; one is killed (-9) and its
// partitions move to the other two once its session expires; nothing acknowledged is skipped; a
// restarted member resumes exactly at the committed offsets, not from the beginning.
import { waitFor } from '@stratus/platform-testing';
import type { GroupClient, GroupProtocol } from './group-clients.testkit';
import { allConsumed, gaps, lastCommits, waitShared, type GroupCluster } from './groups.testkit';
import type { MemberProcess } from './member-process.testkit';

export interface KillMoveResumeOptions {
  readonly topic: string;
  readonly group: string;
  readonly protocol: GroupProtocol;
  /** The session timeout the members run with (classic) or the broker's (KIP-848). */
  readonly sessionTimeoutMs: number;
  readonly partitions?: number;
  readonly perPartition?: number;
}

export async function killMoveResume(env: GroupCluster, client: GroupClient, opts: KillMoveResumeOptions): Promise<void> {
  const partitions = opts.partitions ?? 12;
  const per = opts.perPartition ?? 60;
  const { topic, group, protocol, sessionTimeoutMs } = opts;
  const start = (name: string): MemberProcess => env.track(client.member({ name, topic, group, protocol, sessionTimeoutMs }));
  await client.produce({ topic, partitions, perPartition: per, create: true });

  const trio = [start(`${group}-1`), start(`${group}-2`), start(`${group}-3`)];
  // Every partition owned by exactly one member, as the members themselves report their assignments.
  await waitShared(trio, partitions, 240_000, env.cluster);
  const [a, b, victim] = trio as [MemberProcess, MemberProcess, MemberProcess];
  await waitFor(() => victim.commits.length > 0, { timeoutMs: 120_000, intervalMs: 250, description: `a commit by ${victim.describe()}` });
  // Taken at the kill, not when the partitions were first shared: KIP-848 reconciles incrementally,
  // so a member may still be receiving partitions revoked from another after the first even split.
  const victimParts = victim.assignment();

  const killedAt = Date.now();
  await victim.kill9();
  // What happened before the kill: everything the victim printed (it can do nothing after it, but
  // lines still in its stdout pipe at the kill reach us stamped after killedAt; kill9 waits for them),
  // and what the survivors printed up to the kill. Before the victim got its partitions, other
  // members may have owned (and committed) them.
  const beforeKill = (m: MemberProcess, at: number): boolean => m === victim || at <= killedAt;
  const committedBefore = new Map<number, number>();
  const consumedBefore = new Map<number, number>();
  for (const m of trio) {
    for (const c of m.commits) if (beforeKill(m, c.at)) committedBefore.set(c.p, Math.max(committedBefore.get(c.p) ?? 0, c.o));
    for (const r of m.records) if (beforeKill(m, r.at)) consumedBefore.set(r.p, Math.max(consumedBefore.get(r.p) ?? -1, r.o));
  }
  // The victim's partitions move to the survivors once its session expires (plus a rebalance; the
  // slack is for a loaded machine, the measured time is printed).
  await waitShared([a, b], partitions, sessionTimeoutMs + 120_000, env.cluster);
  process.stdout.write(`${client.label} ${protocol}: the killed member's partitions [${victimParts.join(',')}] moved after ${Date.now() - killedAt} ms (session timeout ${sessionTimeoutMs} ms)\n`);
  // A new owner of a victim partition starts at what was committed: never before the last commit
  // printed (that would re-deliver acknowledged records beyond at-least-once), never after the last
  // record handed out (that would skip records).
  for (const p of victimParts) {
    await waitFor(() => [a, b].some((m) => m.records.some((r) => r.p === p && r.at > killedAt)) || (consumedBefore.get(p) ?? -1) + 1 >= per, {
      timeoutMs: 120_000,
      intervalMs: 250,
      description: `partition ${p} to be consumed again after the kill`,
    });
    const first = [a, b].flatMap((m) => m.records.filter((r) => r.p === p && r.at > killedAt)).sort((x, y) => x.at - y.at)[0];
    if (!first) continue;
    expect(first.o).toBeGreaterThanOrEqual(committedBefore.get(p) ?? 0);
    expect(first.o).toBeLessThanOrEqual((consumedBefore.get(p) ?? -1) + 1);
  }
  // Nothing acknowledged is skipped: the union of what the members consumed covers every offset
  // (duplicates after the kill are allowed: at least once).
  await waitFor(() => allConsumed(trio, partitions, per), { timeoutMs: 240_000, intervalMs: 500, description: `all records consumed: ${gaps(trio, partitions, per).join('; ')}` });
  // The survivors' commits reach the end (a commit refused during the rebalance is made again by
  // the partition's next owner), then they close.
  const committedToEnd = (): boolean => [...Array(partitions).keys()].every((p) => lastCommits(trio).get(p) === per);
  await waitFor(committedToEnd, { timeoutMs: 120_000, intervalMs: 500, description: `commits at offset ${per} everywhere: ${[...lastCommits(trio)].join(' ')}` });
  await Promise.all([a.close(), b.close()]);
  const committed = lastCommits(trio);

  // Restart: more records arrive, and a new member resumes every partition exactly where the group
  // committed — it does not re-read the records committed long before.
  await client.produce({ topic, partitions, perPartition: per, create: false });
  const restarted = start(`${group}-restarted`);
  const everyone = [...trio, restarted];
  await waitFor(() => allConsumed(everyone, partitions, 2 * per), {
    timeoutMs: 240_000,
    intervalMs: 500,
    description: `the restarted member to consume the new records: ${restarted.describe()}; ${gaps(everyone, partitions, 2 * per).join('; ')}`,
  });
  for (let p = 0; p < partitions; p++) {
    const offsets = restarted.records.filter((r) => r.p === p).map((r) => r.o);
    expect(Math.min(...offsets)).toBe(committed.get(p));
  }
  await restarted.close();
}
