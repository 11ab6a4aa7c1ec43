// Helpers of the consumer-group chaos tests (issue 7): real Java kafka-clients members (each its own
// JVM, tools/local-cluster/java/GroupMember.java; the jars come from @stratus/kafka-reference's Maven
// fetch, the same harness tools/compat uses), checks over any client's MemberProcess events, and the
// coordinator's broker. The other clients' members are in group-clients.testkit.ts.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { metadataV1 } from '@stratus/contracts';
import { coordinatorPartition, internalGroupId, OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';
import { DEFAULT_KAFKA_VERSION, defaultCacheRoot, fetchMavenClasspath } from '@stratus/kafka-reference';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { waitFor, workspaceRoot } from '@stratus/platform-testing';
import type { ClusterCredentials } from './cluster-credentials';
import { MemberProcess } from './member-process.testkit';
import { launchLocalCluster, type LaunchedCluster } from './launch.testkit';
import { LOCAL_CELL } from './topology';

const run = promisify(execFile);

/** Compiles GroupMember.java against kafka-clients (cached per version); resolves with the classpath. */
export async function groupMemberClasspath(kafkaVersion = DEFAULT_KAFKA_VERSION): Promise<string> {
  const cache = join(defaultCacheRoot(), 'group-member', kafkaVersion);
  const jars = await fetchMavenClasspath({ artifacts: [`org.apache.kafka:kafka-clients:${kafkaVersion}`, 'org.slf4j:slf4j-nop:1.7.36'], dir: cache });
  const classes = join(cache, 'classes');
  mkdirSync(classes, { recursive: true });
  const classpath = `${classes}:${join(jars.libDir, '*')}`;
  await run('javac', ['-d', classes, '-cp', classpath, join(workspaceRoot(), 'tools', 'local-cluster', 'java', 'GroupMember.java')], { timeout: 300_000 });
  return classpath;
}

function connectionArgs(c: ClusterCredentials, topic: string): string[] {
  return [`bootstrap=${c.bootstrap}`, `username=${c.username}`, `password=${c.password}`, `topic=${topic}`];
}

/** Produces `perPartition` records into each of `partitions` partitions (acks=all), creating the topic first if asked. */
export async function produceRecords(classpath: string, c: ClusterCredentials, opts: { topic: string; partitions: number; perPartition: number; create: boolean }): Promise<void> {
  const args = ['-Xmx256m', '-cp', classpath, 'GroupMember', 'produce', ...connectionArgs(c, opts.topic), `partitions=${opts.partitions}`, `perPartition=${opts.perPartition}`, `create=${String(opts.create)}`];
  const { stdout } = await run('java', args, { timeout: 240_000 });
  if (!stdout.includes('"produced"')) throw new Error(`the Java producer did not finish: ${stdout}`);
}

/** Starts one JVM consumer (GroupMember.java) in a group; `config` is passed to KafkaConsumer. */
export function startJavaMember(classpath: string, c: ClusterCredentials, opts: { name: string; topic: string; config: Readonly<Record<string, string>>; pollDelayMs?: number }): MemberProcess {
  const config = Object.entries(opts.config).map(([k, v]) => `${k}=${v}`);
  const args = ['-Xmx256m', '-cp', classpath, 'GroupMember', 'consume', ...connectionArgs(c, opts.topic), `pollDelayMs=${opts.pollDelayMs ?? 200}`, ...config];
  return MemberProcess.spawn(opts.name, { command: 'java', args });
}

export interface GroupCluster {
  readonly cluster: LaunchedCluster;
  readonly creds: ClusterCredentials;
  /** Remembers a started member, so afterAll kills it whatever the test did. */
  track(member: MemberProcess): MemberProcess;
}

/**
 * The group chaos specs' shared setup: beforeAll starts `npm start`'s cluster (and, at the same time,
 * whatever the spec's client needs: `prepare`), afterAll kill -9s every tracked member still running
 * and stops the cluster, even when a test failed half-way.
 */
export function useGroupCluster(name: string, prepare: () => Promise<void> = async () => undefined): GroupCluster {
  let launched: LaunchedCluster | undefined;
  let creds: ClusterCredentials | undefined;
  const members: MemberProcess[] = [];
  beforeAll(async () => {
    [launched] = await Promise.all([launchLocalCluster(name, { startTimeoutMs: 600_000 }), prepare()]);
    creds = launched.credentials();
  }, 900_000);
  afterAll(async () => {
    await Promise.all(members.map((m) => m.kill9()));
    if (!launched) return;
    launched.child.kill('SIGTERM');
    await launched.exited;
  }, 120_000);
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error(`the ${name} cluster did not start (see beforeAll)`);
    return value;
  };
  return {
    get cluster() {
      return started(launched);
    },
    get creds() {
      return started(creds);
    },
    track(member) {
      members.push(member);
      return member;
    },
  };
}

/** True when the members' assignments partition 0..partitions-1 exactly (each owned by one member, none left out, every member has some). */
export function exclusivelyShared(members: readonly MemberProcess[], partitions: number): boolean {
  const owners = new Map<number, number>();
  for (const m of members) {
    if (m.assignment().length === 0) return false;
    for (const p of m.assignment()) owners.set(p, (owners.get(p) ?? 0) + 1);
  }
  return owners.size === partitions && [...owners.values()].every((n) => n === 1);
}

export async function waitShared(members: readonly MemberProcess[], partitions: number, timeoutMs: number, cluster?: { readonly dataDir: string }): Promise<void> {
  try {
    await waitFor(() => exclusivelyShared(members, partitions), { timeoutMs, intervalMs: 250, description: `${partitions} partitions shared by ${members.length} members` });
  } catch (error) {
    // The members' state and the cluster's recent warnings, so a failure on CI can be read.
    throw new Error(`${(error as Error).message}:\n${members.map((m) => m.describe()).join('\n')}${cluster ? `\ncluster warnings:\n${clusterWarnings(cluster.dataDir)}` : ''}`);
  }
}

/** The last warnings and errors of the local cluster's services (their JSON logs under logs/). */
export function clusterWarnings(dataDir: string, lines = 25): string {
  const dir = join(dataDir, 'logs');
  try {
    const found: string[] = [];
    for (const file of readdirSync(dir)) {
      if (!file.endsWith('.log') || file === 'combined.log') continue;
      for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) if (/"level":"(warn|error|fatal)"/.test(line)) found.push(line.slice(0, 400));
    }
    // Every line starts with {"level":…,"time":"<ISO>" so sorting by the time field orders them.
    const time = (l: string): string => /"time":"([^"]+)"/.exec(l)?.[1] ?? '';
    return found.sort((a, b) => time(a).localeCompare(time(b))).slice(-lines).join('\n');
  } catch {
    return '(no service logs)';
  }
}

/** The highest committed offset each member printed per partition, over all `members`. */
export function lastCommits(members: readonly MemberProcess[], before = Number.POSITIVE_INFINITY): Map<number, number> {
  const out = new Map<number, number>();
  for (const m of members) for (const c of m.commits) if (c.at <= before) out.set(c.p, Math.max(out.get(c.p) ?? 0, c.o));
  return out;
}

/** Partitions whose consumed offsets (over all members) do not cover [0, end) — a gap means an acknowledged record was skipped. */
export function gaps(members: readonly MemberProcess[], partitions: number, end: number): string[] {
  const problems: string[] = [];
  for (let p = 0; p < partitions; p++) {
    const seen = new Set<number>();
    for (const m of members) for (const r of m.records) if (r.p === p) seen.add(r.o);
    const missing: number[] = [];
    for (let o = 0; o < end; o++) if (!seen.has(o)) missing.push(o);
    if (missing.length > 0) problems.push(`partition ${p}: ${missing.length} offsets never consumed (first ${missing[0]})`);
  }
  return problems;
}

export function allConsumed(members: readonly MemberProcess[], partitions: number, end: number): boolean {
  return gaps(members, partitions, end).length === 0;
}

// --- the coordinator's broker and its process ---

/**
 * The broker leading the offsets partition that coordinates `group` of the cluster's tenant, as the
 * metadata service has it (docs/groups.md "Placement": murmur2 of `<tenant id>/<group>` over the
 * partitions of `__stratus_offsets` of the reserved system tenant of the cell).
 */
export async function coordinatorBroker(c: ClusterCredentials, group: string): Promise<{ nodeId: string; partition: number; epoch: number }> {
  const client = createGrpcClient(metadataV1.MetadataServiceClient, c.metadataAddress);
  try {
    const tenant = await unaryCall(client, client.getTenant, metadataV1.GetTenantRequest.fromPartial({ selector: { $case: 'name', value: c.tenant } }), { timeoutMs: 10_000 });
    const system = await unaryCall(client, client.getTenant, metadataV1.GetTenantRequest.fromPartial({ selector: { $case: 'name', value: systemTenantName(LOCAL_CELL) } }), { timeoutMs: 10_000 });
    const tenantId = tenant.tenant?.tenantId?.value ?? '';
    const described = await unaryCall(
      client,
      client.describeTopics,
      metadataV1.DescribeTopicsRequest.fromPartial({ tenantId: system.tenant?.tenantId ?? {}, topics: [{ selector: { $case: 'name', value: OFFSETS_TOPIC_NAME } }], includePartitions: true }),
      { timeoutMs: 10_000 },
    );
    const topic = described.topics[0];
    const count = topic?.topic?.partitionCount ?? 0;
    if (!topic || count === 0) throw new Error(`no ${OFFSETS_TOPIC_NAME} topic in the metadata service`);
    const partition = coordinatorPartition(internalGroupId(tenantId, group), count);
    const assignment = topic.partitions.find((a) => a.partition?.partition === partition);
    return { nodeId: assignment?.leaderNodeId ?? '', partition, epoch: assignment?.leaderEpoch ?? -1 };
  } finally {
    client.close();
  }
}

/** The pid of the local cluster's service `nodeId` (a child of the supervisor with STRATUS_NODE_ID=nodeId). */
export function servicePid(supervisorPid: number, nodeId: string): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== supervisorPid) continue;
      const env = readFileSync(`/proc/${entry}/environ`, 'utf8').split('\0');
      if (env.includes(`STRATUS_NODE_ID=${nodeId}`)) return Number(entry);
    } catch {
      // the process ended while we looked
    }
  }
  throw new Error(`no process of ${nodeId} under the local cluster (pid ${supervisorPid})`);
}
