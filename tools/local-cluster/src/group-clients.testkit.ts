// The client libraries of the consumer-group chaos tests (issue 7), behind one interface: each
// produces acknowledged records and starts group members as their own OS processes printing the
// MemberProcess events. Java kafka-clients (GroupMember.java), librdkafka through confluent-kafka for
// Python (python/group_member.py, in @stratus/kafka-reference's pythonVenv) and kafkajs
// (kafkajs/group-member.ts, the workspace's own kafkajs).
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { workspaceRoot } from '@stratus/platform-testing';
import type { ClusterCredentials } from './cluster-credentials';
import { groupMemberClasspath, produceRecords, startJavaMember } from './groups.testkit';
import { MemberProcess, type MemberCommand } from './member-process.testkit';

const run = promisify(execFile);

export type GroupProtocol = 'classic' | 'consumer';

export interface ProduceOptions {
  readonly topic: string;
  readonly partitions: number;
  readonly perPartition: number;
  /** Create the topic (with `partitions`) first. */
  readonly create: boolean;
}

export interface MemberOptions {
  readonly name: string;
  readonly topic: string;
  readonly group: string;
  readonly protocol: GroupProtocol;
  /** The member's session timeout (classic protocol; KIP-848's is the broker's). */
  readonly sessionTimeoutMs: number;
}

export interface GroupClient {
  readonly label: string;
  /** Produces `perPartition` records with key k<partition> into every partition, resolving once all are acknowledged (acks=all). */
  produce(opts: ProduceOptions): Promise<void>;
  /** Starts one member (at most 10 records per poll, a commit after each, so consumption spans a kill). */
  member(opts: MemberOptions): MemberProcess;
}

const connection = (c: ClusterCredentials, topic: string): string[] => [`bootstrap=${c.bootstrap}`, `mechanism=${c.saslMechanism}`, `username=${c.username}`, `password=${c.password}`, `topic=${topic}`];
const produceArgs = (o: ProduceOptions): string[] => [`partitions=${o.partitions}`, `perPartition=${o.perPartition}`, `create=${String(o.create)}`];

async function runProducer(label: string, cmd: MemberCommand): Promise<void> {
  const { stdout } = await run(cmd.command, [...cmd.args], { cwd: workspaceRoot(), env: { ...process.env, ...cmd.env }, timeout: 300_000 }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`the ${label} producer failed: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  if (!stdout.includes('"produced"')) throw new Error(`the ${label} producer did not finish: ${stdout}`);
}

export async function javaGroupClient(c: ClusterCredentials, classpath?: string): Promise<GroupClient> {
  const cp = classpath ?? (await groupMemberClasspath());
  return {
    label: 'Java kafka-clients',
    produce: (o) => produceRecords(cp, c, o),
    member: (o) => {
      const config: Record<string, string> = { 'group.id': o.group, 'group.protocol': o.protocol, 'max.poll.records': '10' };
      if (o.protocol === 'classic') config['session.timeout.ms'] = String(o.sessionTimeoutMs);
      return startJavaMember(cp, c, { name: o.name, topic: o.topic, config });
    },
  };
}

/** librdkafka through confluent-kafka for Python (each member a python process); `python` is pythonVenv()'s. */
export function librdkafkaGroupClient(c: ClusterCredentials, python: string): GroupClient {
  const script = join(workspaceRoot(), 'tools', 'local-cluster', 'python', 'group_member.py');
  return {
    label: 'confluent-kafka (librdkafka)',
    produce: (o) => runProducer('confluent-kafka', { command: python, args: [script, 'produce', ...connection(c, o.topic), ...produceArgs(o)] }),
    member: (o) => {
      const config = [`group.id=${o.group}`, `group.protocol=${o.protocol}`, 'batch=10', 'pollDelayMs=200'];
      // KIP-848 members may not set session.timeout.ms: the broker's group config decides it.
      if (o.protocol === 'classic') config.push(`session.timeout.ms=${o.sessionTimeoutMs}`, 'heartbeat.interval.ms=1000');
      return MemberProcess.spawn(o.name, { command: python, args: ['-u', script, 'consume', ...connection(c, o.topic), ...config] });
    },
  };
}

/** kafkajs (classic protocol only: kafkajs has no KIP-848 support), each member a node process. */
export function kafkajsGroupClient(c: ClusterCredentials): GroupClient {
  const node = (args: string[]): MemberCommand => ({
    command: 'node',
    args: ['-r', '@swc-node/register', join(workspaceRoot(), 'tools', 'local-cluster', 'kafkajs', 'group-member.ts'), ...args],
    env: { SWC_NODE_PROJECT: join(workspaceRoot(), 'tsconfig.base.json') },
  });
  return {
    label: 'kafkajs',
    produce: (o) => runProducer('kafkajs', node(['produce', ...connection(c, o.topic), ...produceArgs(o)])),
    member: (o) => {
      if (o.protocol !== 'classic') throw new Error('kafkajs speaks only the classic group protocol');
      return MemberProcess.spawn(o.name, node(['consume', ...connection(c, o.topic), `group.id=${o.group}`, `session.timeout.ms=${o.sessionTimeoutMs}`, 'heartbeat.interval.ms=1000', 'batch=10', 'pollDelayMs=200']));
    },
  };
}
