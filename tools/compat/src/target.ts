// What the suite runs against: a Stratus local cluster (the default) or real Apache Kafka (KRaft,
// SASL/SCRAM), which proves the drivers right so a failure against Stratus is Stratus's.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USERS, startKafkaCluster } from '@stratus/kafka-reference';
import { freePorts, makeTempDir, waitFor, workspaceRoot } from '@stratus/platform-testing';
import type { Connection } from './protocol';

export type TargetKind = 'stratus' | 'kafka';

const STRATUS_START_TIMEOUT_MS = 600_000;

export interface Target {
  readonly kind: TargetKind;
  readonly description: string;
  readonly connection: Connection;
  /** Copies the cluster's service log out of its temp dir (Stratus only); called after every test. */
  saveLogs?(): void;
  stop(): Promise<void>;
}

export function targetKindFromEnv(value: string | undefined): TargetKind {
  if (value === undefined || value === '' || value === 'stratus') return 'stratus';
  if (value === 'kafka') return 'kafka';
  throw new Error(`COMPAT_TARGET must be "stratus" or "kafka", not "${value}"`);
}

export async function startTarget(kind: TargetKind): Promise<Target> {
  if (kind === 'kafka') {
    // Three partitions on one node: the group-of-3 scenario needs partitions, not brokers.
    // kafka-reference sets group.initial.rebalance.delay.ms=0 for its own tests; here Kafka's shipped
    // default (3 s, as Stratus's coordinator) is restored, because "group of 3" checks that every
    // member gets partitions, and with no delay the first member to join is assigned all three and can
    // drain every record before the other two have joined (seen with confluent-kafka's threads).
    const cluster = await startKafkaCluster({
      nodes: 1,
      brokerConfig: { 'num.partitions': '3', 'group.initial.rebalance.delay.ms': '3000' },
      startTimeoutMs: 600_000,
    });
    const user = DEFAULT_USERS[0] ?? { name: 'stratus', password: 'stratus-secret' };
    return {
      kind,
      description: `Apache Kafka ${cluster.version} (KRaft, 1 node)`,
      connection: { bootstrap: cluster.bootstrap('sasl'), mechanism: 'SCRAM-SHA-256', username: user.name, password: user.password },
      stop: () => cluster.stop(),
    };
  }
  return startStratus();
}

/** What tools/local-cluster writes to <data dir>/cluster.json (the fields the suite needs). */
interface ClusterFile {
  readonly bootstrap: string;
  readonly saslMechanism: 'SCRAM-SHA-256' | 'PLAIN';
  readonly username: string;
  readonly password: string;
}

/**
 * Runs `npm start`'s program as a user would (its command line, not its code: tools do not import
 * each other's sources), on free ports and a temp dir — like local-cluster's launchLocalCluster, with a longer start-up wait (the suite runs on small shared machines
 * where ten services take minutes to start) and the cluster stopped again when it never came up.
 */
/**
 * The services' combined log outlives the temp dir in test-results/compat/, so a failed cell can
 * be explained from the server side (which broker answered NOT_COORDINATOR, and why).
 */
function keepClusterLog(combined: string): void {
  if (!existsSync(combined)) return;
  const dir = join(workspaceRoot(), 'test-results', 'compat');
  mkdirSync(dir, { recursive: true });
  copyFileSync(combined, join(dir, 'stratus-cluster.log'));
}

async function startStratus(): Promise<Target> {
  const dir = await makeTempDir('compat');
  const kafkaPorts = (await freePorts(3)).join(',');
  const child = spawn('node', ['-r', '@swc-node/register', 'tools/local-cluster/src/main.ts', '--data-dir', dir.path, '--kafka-ports', kafkaPorts], {
    cwd: workspaceRoot(),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const cluster = { child, output: () => output, exited };
  const stop = async (): Promise<void> => {
    if (cluster.child.exitCode === null) cluster.child.kill('SIGTERM');
    await cluster.exited;
  };
  try {
    await waitFor(() => cluster.output().includes('press Ctrl-C to stop') || cluster.child.exitCode !== null, {
      timeoutMs: STRATUS_START_TIMEOUT_MS,
      intervalMs: 500,
      description: 'the local cluster to start',
    });
    if (cluster.child.exitCode !== null) throw new Error(`the local cluster exited with ${cluster.child.exitCode}:\n${cluster.output().slice(-3000)}`);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${cluster.output().slice(-3000)}`);
  }
  const credentials = JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as ClusterFile;
  return {
    kind: 'stratus',
    description: 'Stratus local cluster (tools/local-cluster)',
    connection: { bootstrap: credentials.bootstrap, mechanism: credentials.saslMechanism, username: credentials.username, password: credentials.password },
    // After every test rather than at stop: the harness may remove the temp dir before the suite's afterAll runs.
    saveLogs: () => keepClusterLog(join(dir.path, 'logs', 'combined.log')),
    stop,
  };
}
