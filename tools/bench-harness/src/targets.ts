// The systems under test. Every target ends up as the same thing: a SASL/SCRAM bootstrap address
// (so both Stratus and Kafka pay the same authentication), the pids of its server processes (for
// CPU/RSS), its data directories (for bytes written) and a way to stop it.
import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_USERS, defaultCacheRoot, fetchMavenClasspath, LISTENER_NAMES, startKafkaCluster } from '@stratus/kafka-reference';
import { freePorts, makeTempDir, waitFor, workspaceRoot } from '@stratus/platform-testing';
import { coldTopicConfigs, kafkaTieredBrokerConfig, LOCAL_TIERED_STORAGE_VERSION, stratusColdTierArgs } from './cold-tier';
import { kafkaTierProbe, stratusTierProbe, type TierProbe } from './cold-tier-probe';
import { cmdline, pidsMentioning } from './proc';

export type TargetSpec =
  | { readonly kind: 'stratus' }
  | { readonly kind: 'stratus-existing'; readonly bootstrap: string; readonly username: string; readonly password: string; readonly dataDir?: string }
  | { readonly kind: 'kafka' }
  | { readonly kind: 'kafka-rf1' }
  | { readonly kind: 'bootstrap'; readonly bootstrap: string; readonly username?: string; readonly password?: string };

export interface SaslCredentials {
  readonly mechanism: 'SCRAM-SHA-256' | 'PLAIN';
  readonly username: string;
  readonly password: string;
}

export interface RunningTarget {
  /** Short label used in tables: stratus, kafka, kafka-rf1, bootstrap:<addr>. */
  readonly label: string;
  readonly description: string;
  readonly bootstrap: string;
  readonly sasl?: SaslCredentials;
  /** Replication factor for benchmark topics; -1 leaves it to the server (Stratus replicates internally). */
  readonly replicationFactor: number;
  readonly topicConfigs: Readonly<Record<string, string>>;
  readonly dataDirs: readonly string[];
  /** Server processes by pid → name, resolved after start (empty for a foreign bootstrap). */
  serverProcesses(): Map<number, string>;
  /**
   * Started with a cold tier (StartTargetOptions.coldTier): how much of a topic is below the hot
   * tier's start. The Java tools' classpath and client properties are for targets asked through them.
   */
  readonly tierProbe?: (client: { classpath: string; propertiesFile: string }) => TierProbe;
  stop(): Promise<void>;
}

export interface StartTargetOptions {
  /** Start the target with tiered storage and topics whose data leaves the hot tier quickly. */
  readonly coldTier?: { readonly segmentBytes: number };
}

export class TargetSpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TargetSpecError';
  }
}

export interface ExistingClusterOptions {
  readonly bootstrap?: string;
  readonly username?: string;
  readonly password?: string;
  readonly dataDir?: string;
}

/** Parses `--target stratus,kafka,kafka-rf1,bootstrap:host:port`. */
export function parseTargets(value: string, existing: ExistingClusterOptions = {}): TargetSpec[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new TargetSpecError('--target needs at least one of stratus, kafka, kafka-rf1, bootstrap:<host:port>');
  return names.map((name): TargetSpec => {
    if (name === 'stratus') {
      if (existing.bootstrap === undefined) return { kind: 'stratus' };
      if (existing.username === undefined || existing.password === undefined) throw new TargetSpecError('an existing Stratus cluster (--bootstrap) needs --username and --password');
      return { kind: 'stratus-existing', bootstrap: existing.bootstrap, username: existing.username, password: existing.password, ...(existing.dataDir ? { dataDir: existing.dataDir } : {}) };
    }
    if (name === 'kafka') return { kind: 'kafka' };
    if (name === 'kafka-rf1') return { kind: 'kafka-rf1' };
    if (name.startsWith('bootstrap:')) {
      const address = name.slice('bootstrap:'.length);
      if (!/^[^:,\s]+:\d{1,5}$/.test(address)) throw new TargetSpecError(`bootstrap target needs host:port, got "${address}"`);
      return { kind: 'bootstrap', bootstrap: address, ...(existing.username && existing.password ? { username: existing.username, password: existing.password } : {}) };
    }
    throw new TargetSpecError(`unknown target "${name}" (stratus, kafka, kafka-rf1, bootstrap:<host:port>)`);
  });
}

const STRATUS_START_TIMEOUT_MS = 600_000;

/** The fields of <data dir>/cluster.json (written by tools/local-cluster) the harness uses. */
interface LocalClusterFile {
  readonly bootstrap: string;
  readonly saslMechanism: 'SCRAM-SHA-256' | 'PLAIN';
  readonly username: string;
  readonly password: string;
  readonly tenant: string;
  readonly metadataAddress: string;
}

/**
 * The cell's default tenant quotas (10 MiB/s of produce shared by the three routers, 30 MiB/s of
 * fetch, 1,000 requests/s) would cap a max-rate run at the quota and the harness would measure
 * throttling, not Stratus (Kafka has no quotas configured here). Lift them with the admin CLI, the
 * cluster's public interface, before any load.
 */
async function liftTenantQuotas(cluster: LocalClusterFile): Promise<void> {
  const args = [
    'tools/cli/bin/stratus.js', 'quotas', 'set', cluster.tenant, '--metadata', cluster.metadataAddress,
    '--produce-bytes-per-second', String(2 ** 40), '--fetch-bytes-per-second', String(2 ** 40), '--requests-per-second', '1000000',
  ];
  await new Promise<void>((resolve, reject) => {
    execFile('node', args, { cwd: workspaceRoot(), timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`lifting the tenant's quotas failed: ${stderr || error.message}`)) : resolve(),
    );
  });
}

/**
 * `npm start`'s program on free ports and a private data dir. Started as a command rather than
 * through local-cluster's launch testkit: tools have no import path to each other (module
 * boundaries), and the command line is the local cluster's public interface anyway.
 */
function spawnLocalCluster(dataDir: string, kafkaPorts: string, extraArgs: readonly string[]): { child: ReturnType<typeof spawn>; output: () => string; exited: Promise<number | null> } {
  const child = spawn('node', ['-r', '@swc-node/register', 'tools/local-cluster/src/main.ts', '--data-dir', dataDir, '--kafka-ports', kafkaPorts, ...extraArgs], {
    cwd: workspaceRoot(),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

function stratusProcesses(dataDir: string): Map<number, string> {
  const found = new Map<number, string>();
  const servicesFile = join(dataDir, 'services.json');
  if (existsSync(servicesFile)) {
    const { services } = JSON.parse(readFileSync(servicesFile, 'utf8')) as { services: { id: string; pid: number }[] };
    for (const s of services) found.set(s.pid, s.id);
  }
  // etcd (and anything else the supervisor started) carries the data directory on its command line.
  for (const pid of pidsMentioning(dataDir)) {
    if (found.has(pid)) continue;
    const cmd = cmdline(pid);
    if (cmd.includes('tools/local-cluster/src/main.ts')) found.set(pid, 'supervisor');
    else if (cmd.includes('etcd')) found.set(pid, 'etcd');
    else found.set(pid, cmd.split(' ')[0] ?? String(pid));
  }
  return found;
}

const STRATUS_APPS = ['metadata', 'broker', 'replication', 'router', 'tiered-storage'] as const;

/**
 * The local cluster runs the bundled apps; `nx build` empties dist/apps/<app> before writing it
 * again, so a cluster started during someone's rebuild exits at once. Wait for every bundle, and
 * retry a start that exits early (the next attempt finds a complete build).
 */
async function startStratus(options: StartTargetOptions): Promise<RunningTarget> {
  let lastError: Error | undefined;
  for (let attempt = 1; attempt <= 3; attempt++) {
    await waitFor(() => STRATUS_APPS.every((app) => existsSync(join(workspaceRoot(), 'dist', 'apps', app, 'main.js'))), {
      timeoutMs: 300_000,
      intervalMs: 1000,
      description: `the Stratus apps to be built (dist/apps/{${STRATUS_APPS.join(',')}}/main.js; npx nx build <app>)`,
    });
    try {
      return await startStratusOnce(options);
    } catch (error) {
      lastError = error as Error;
      if (!(error instanceof ClusterExitedError)) throw error;
      await new Promise((resolve) => setTimeout(resolve, 10_000));
    }
  }
  throw lastError ?? new Error('the local cluster did not start');
}

class ClusterExitedError extends Error {}

async function startStratusOnce(options: StartTargetOptions): Promise<RunningTarget> {
  const dir = await makeTempDir('bench-stratus');
  const cold = options.coldTier;
  const cluster = spawnLocalCluster(dir.path, (await freePorts(3)).join(','), cold ? stratusColdTierArgs(cold) : []);
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
    if (cluster.child.exitCode !== null) throw new ClusterExitedError(`the local cluster exited with ${cluster.child.exitCode}`);
  } catch (error) {
    await stop();
    await dir.remove();
    const message = `${(error as Error).message}\n${cluster.output().slice(-3000)}`;
    throw error instanceof ClusterExitedError ? new ClusterExitedError(message) : new Error(message);
  }
  const credentials = JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as LocalClusterFile;
  try {
    await liftTenantQuotas(credentials);
  } catch (error) {
    await stop();
    await dir.remove();
    throw error;
  }
  return {
    label: 'stratus',
    description: `Stratus local cluster (tools/local-cluster, 3 AZs${cold ? `; tiered storage to a folder on the same disk, ${cold.segmentBytes} B replication segments, broker tail cache off` : ''})`,
    bootstrap: credentials.bootstrap,
    sasl: { mechanism: credentials.saslMechanism, username: credentials.username, password: credentials.password },
    replicationFactor: -1,
    topicConfigs: cold ? coldTopicConfigs({ target: 'stratus', segmentBytes: cold.segmentBytes }) : {},
    dataDirs: [dir.path],
    serverProcesses: () => stratusProcesses(dir.path),
    ...(cold ? { tierProbe: () => stratusTierProbe({ metadataAddress: credentials.metadataAddress, tenant: credentials.tenant }) } : {}),
    stop: async () => {
      await stop();
      await dir.remove();
    },
  };
}

/** Kafka's LocalTieredStorage (kafka-storage test jar), alone: the broker brings everything else. */
async function localTieredStorageJars(): Promise<readonly string[]> {
  const fetched = await fetchMavenClasspath({
    artifacts: [`org.apache.kafka:kafka-storage:${LOCAL_TIERED_STORAGE_VERSION}:test`],
    dir: join(defaultCacheRoot(), 'kafka-local-tiered-storage', LOCAL_TIERED_STORAGE_VERSION),
    transitive: false,
  });
  return fetched.jars;
}

async function startKafka(options: { nodes: number } & StartTargetOptions): Promise<RunningTarget> {
  const replicated = options.nodes >= 3;
  const cold = options.coldTier;
  // The remote storage folder sits beside the brokers' log dirs in the temp dir: the same disk.
  const remoteDir = cold ? await makeTempDir('bench-kafka-remote') : undefined;
  const tiered = remoteDir ? kafkaTieredBrokerConfig({ storageDir: remoteDir.path, pluginJars: await localTieredStorageJars(), nodes: options.nodes, internalListener: LISTENER_NAMES.internal }) : {};
  let cluster;
  try {
    cluster = await startKafkaCluster({
      // LocalTieredStorage exists for 4.3.1 and runs only in a broker of its own release (cold-tier.ts).
      ...(cold ? { version: LOCAL_TIERED_STORAGE_VERSION } : {}),
      nodes: options.nodes,
      users: DEFAULT_USERS,
      heapMb: 512,
      startTimeoutMs: 600_000,
      brokerConfig: { ...(replicated ? { 'min.insync.replicas': '2', 'default.replication.factor': '3' } : {}), ...tiered },
    });
  } catch (error) {
    await remoteDir?.remove();
    throw error;
  }
  const running = cluster;
  const user = DEFAULT_USERS[0] ?? { name: 'stratus', password: 'stratus-secret' };
  const bootstrap = cluster.bootstrap('sasl');
  return {
    label: replicated ? 'kafka' : 'kafka-rf1',
    description: `Apache Kafka ${cluster.version} (KRaft, ${options.nodes} node${options.nodes === 1 ? '' : 's'}${replicated ? ', RF3, min.insync.replicas=2' : ', RF1'}${cold ? `; tiered storage (KIP-405): LocalTieredStorage ${LOCAL_TIERED_STORAGE_VERSION} to a folder on the same disk, TopicBasedRemoteLogMetadataManager` : ''})`,
    bootstrap,
    sasl: { mechanism: 'SCRAM-SHA-256', username: user.name, password: user.password },
    replicationFactor: replicated ? 3 : 1,
    topicConfigs: { ...(replicated ? { 'min.insync.replicas': '2' } : {}), ...(cold ? coldTopicConfigs({ target: 'kafka', segmentBytes: cold.segmentBytes }) : {}) },
    dataDirs: remoteDir ? [cluster.workDir, remoteDir.path] : [cluster.workDir],
    serverProcesses: () => new Map(pidsMentioning(running.workDir).map((pid, i) => [pid, `kafka-${i + 1}`])),
    ...(cold ? { tierProbe: (client: { classpath: string; propertiesFile: string }) => kafkaTierProbe({ ...client, bootstrap }) } : {}),
    stop: async () => {
      await running.stop();
      await remoteDir?.remove();
    },
  };
}

export async function startTarget(spec: TargetSpec, options: StartTargetOptions = {}): Promise<RunningTarget> {
  switch (spec.kind) {
    case 'stratus':
      return startStratus(options);
    case 'kafka':
      return startKafka({ nodes: 3, ...options });
    case 'kafka-rf1':
      return startKafka({ nodes: 1, ...options });
    case 'stratus-existing':
      return {
        label: 'stratus',
        description: `existing Stratus cluster at ${spec.bootstrap}`,
        bootstrap: spec.bootstrap,
        sasl: { mechanism: 'SCRAM-SHA-256', username: spec.username, password: spec.password },
        replicationFactor: -1,
        topicConfigs: {},
        dataDirs: spec.dataDir ? [spec.dataDir] : [],
        serverProcesses: () => (spec.dataDir ? stratusProcesses(spec.dataDir) : new Map()),
        stop: async () => undefined,
      };
    case 'bootstrap':
      return {
        label: `bootstrap:${spec.bootstrap}`,
        description: `cluster at ${spec.bootstrap}`,
        bootstrap: spec.bootstrap,
        ...(spec.username && spec.password ? { sasl: { mechanism: 'SCRAM-SHA-256' as const, username: spec.username, password: spec.password } } : {}),
        replicationFactor: -1,
        topicConfigs: {},
        dataDirs: [],
        serverProcesses: () => new Map(),
        stop: async () => undefined,
      };
  }
}
