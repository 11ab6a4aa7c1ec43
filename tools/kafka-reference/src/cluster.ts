import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePorts } from '@stratus/platform-testing';
import {
  renderLog4j2Properties,
  renderServerProperties,
  scramFormatArgs,
  type ClientListener,
  type HostPort,
  type NodePorts,
  type SaslUser,
} from './config';
import { randomClusterId } from './cluster-id';
import { fetchKafkaServer } from './distribution';
import { probeBroker } from './probe';

export interface KafkaClusterOptions {
  /** Apache Kafka version fetched from Maven Central (default 4.4.0). */
  readonly version?: string;
  /** Number of combined broker+controller nodes (default 1). */
  readonly nodes?: number;
  /** Users accepted by SASL/PLAIN and created as SCRAM-SHA-256/512 credentials. */
  readonly users?: readonly SaslUser[];
  /**
   * Address advertised to clients for a node's listener; defaults to the node's own port. A
   * recording or fault-injecting proxy returns its own address here so clients stay behind it.
   */
  readonly advertise?: (nodeId: number, listener: ClientListener, bound: HostPort) => HostPort;
  /** Broker config overrides, applied to every node. */
  readonly brokerConfig?: Readonly<Record<string, string>>;
  /** JVM heap per node in MiB (default 512). */
  readonly heapMb?: number;
  /** Cache root for downloads (default ~/.cache/stratus or STRATUS_CACHE_DIR). */
  readonly cacheRoot?: string;
  /** Working directory (log dirs, configs, logs); a fresh temp dir by default, removed on stop. */
  readonly workDir?: string;
  readonly startTimeoutMs?: number;
}

export interface KafkaNode {
  readonly nodeId: number;
  /** Where the broker itself listens (not what it advertises). */
  readonly listeners: Readonly<Record<ClientListener, HostPort>>;
  readonly advertised: Readonly<Record<ClientListener, HostPort>>;
  readonly logFile: string;
}

export interface KafkaCluster {
  readonly clusterId: string;
  readonly version: string;
  readonly nodes: readonly KafkaNode[];
  readonly users: readonly SaslUser[];
  readonly workDir: string;
  /** `host:port,...` of the advertised addresses for one listener. */
  bootstrap(listener: ClientListener): string;
  stop(): Promise<void>;
}

export const DEFAULT_USERS: readonly SaslUser[] = [{ name: 'stratus', password: 'stratus-secret' }];

export class KafkaStartError extends Error {
  constructor(
    message: string,
    readonly logTail: string,
  ) {
    super(`${message}\n--- broker log tail ---\n${logTail}`);
    this.name = 'KafkaStartError';
  }
}

interface RunningNode {
  readonly node: KafkaNode;
  readonly process: ChildProcess;
  exited: boolean;
}

const PORT_ATTEMPTS = 3;

/** Starts an Apache Kafka KRaft cluster on 127.0.0.1 and resolves once every broker is unfenced. */
export async function startKafkaCluster(options: KafkaClusterOptions = {}): Promise<KafkaCluster> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (err) {
      // Ports are chosen free but released before Java binds them (see ports.ts); on a busy machine
      // another process can take one in between. That, and only that, is worth another try.
      const portTaken = err instanceof KafkaStartError && /Address already in use/i.test(err.logTail);
      if (!portTaken || attempt >= PORT_ATTEMPTS) throw err;
    }
  }
}

async function startOnce(options: KafkaClusterOptions): Promise<KafkaCluster> {
  const count = options.nodes ?? 1;
  if (!Number.isInteger(count) || count < 1 || count > 9) throw new Error(`nodes must be 1..9, got ${count}`);
  const users = options.users ?? DEFAULT_USERS;
  const classpath = await fetchKafkaServer({ version: options.version, cacheRoot: options.cacheRoot });
  const version = options.version ?? '4.4.0';
  const ownsWorkDir = options.workDir === undefined;
  const workDir = options.workDir ?? mkdtempSync(join(tmpdir(), 'stratus-kafka-'));
  const clusterId = randomClusterId();
  const cp = join(classpath.libDir, '*');

  const ports = await freePorts(count * 4);
  const nodes: KafkaNode[] = [];
  const voters = Array.from({ length: count }, (_, i) => ({ nodeId: i + 1, controllerPort: ports[i * 4 + 3] }));
  const running: RunningNode[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const nodeId = i + 1;
      const nodePorts: NodePorts = { internal: ports[i * 4], plaintext: ports[i * 4 + 1], sasl: ports[i * 4 + 2], controller: ports[i * 4 + 3] };
      const listeners = {
        plaintext: { host: '127.0.0.1', port: nodePorts.plaintext },
        sasl: { host: '127.0.0.1', port: nodePorts.sasl },
      };
      const advertised = {
        plaintext: options.advertise?.(nodeId, 'plaintext', listeners.plaintext) ?? listeners.plaintext,
        sasl: options.advertise?.(nodeId, 'sasl', listeners.sasl) ?? listeners.sasl,
      };
      const dir = join(workDir, `node-${nodeId}`);
      mkdirSync(dir, { recursive: true });
      const propsFile = join(dir, 'server.properties');
      const logFile = join(dir, 'server.log');
      writeFileSync(
        propsFile,
        renderServerProperties({
          nodeId,
          ports: nodePorts,
          voters,
          logDir: join(dir, 'data'),
          advertised,
          plainUsers: users,
          clusterSize: count,
          overrides: options.brokerConfig,
        }),
      );
      writeFileSync(join(dir, 'log4j2.properties'), renderLog4j2Properties(logFile));
      nodes.push({ nodeId, listeners, advertised, logFile });
    }
    // Every node's log dir is formatted with the same cluster id (and the same SCRAM credentials);
    // the formats are independent JVM runs, so they go in parallel.
    await Promise.all(
      nodes.map(async (node) => {
        const dir = join(workDir, `node-${node.nodeId}`);
        const args = ['kafka.tools.StorageTool', 'format', '-t', clusterId, '-c', join(dir, 'server.properties'), ...scramFormatArgs(users)];
        const format = await runJava(cp, dir, args);
        if (format.code !== 0) throw new KafkaStartError(`kafka-storage format failed for node ${node.nodeId} (exit ${format.code})`, format.output);
      }),
    );
    for (const node of nodes) {
      const dir = join(workDir, `node-${node.nodeId}`);
      const child = spawn(
        'java',
        [`-Xmx${options.heapMb ?? 512}m`, '-XX:+UseG1GC', '-Djava.awt.headless=true', `-Dlog4j2.configurationFile=${join(dir, 'log4j2.properties')}`, '-cp', cp, 'kafka.Kafka', join(dir, 'server.properties')],
        { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const entry: RunningNode = { node, process: child, exited: false };
      const out = (chunk: Buffer): void => writeFileSync(join(dir, 'stdout.log'), chunk, { flag: 'a' });
      child.stdout?.on('data', out);
      child.stderr?.on('data', out);
      child.once('exit', () => (entry.exited = true));
      running.push(entry);
    }
    await waitReady(running, count, options.startTimeoutMs ?? 90_000);
  } catch (err) {
    await stopAll(running);
    if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
    throw err;
  }

  let stopped = false;
  return {
    clusterId,
    version,
    nodes,
    users,
    workDir,
    bootstrap: (listener) => nodes.map((n) => `${n.advertised[listener].host}:${n.advertised[listener].port}`).join(','),
    async stop() {
      if (stopped) return;
      stopped = true;
      await stopAll(running);
      if (ownsWorkDir) rmSync(workDir, { recursive: true, force: true });
    },
  };
}

async function waitReady(running: readonly RunningNode[], count: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError = 'not probed yet';
  for (;;) {
    const dead = running.find((r) => r.exited);
    if (dead) throw new KafkaStartError(`broker ${dead.node.nodeId} exited during startup`, tail(dead.node));
    try {
      const results = await Promise.all(running.map((r) => probeBroker({ ...r.node.listeners.plaintext, timeoutMs: 2_000 })));
      if (results.every((result) => result.brokerIds.length === count)) return;
      lastError = `brokers visible: ${results.map((result) => result.brokerIds.length).join(',')} of ${count}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() > deadline) throw new KafkaStartError(`Kafka not ready after ${timeoutMs} ms: ${lastError}`, tail(running[0].node));
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/** SIGTERM lets each broker shut down in a controlled way; SIGKILL only if it hangs. */
async function stopAll(running: readonly RunningNode[]): Promise<void> {
  await Promise.all(
    running.map(
      (r) =>
        new Promise<void>((resolve) => {
          if (r.exited) return resolve();
          const kill = setTimeout(() => r.process.kill('SIGKILL'), 30_000);
          r.process.once('exit', () => {
            clearTimeout(kill);
            resolve();
          });
          r.process.kill('SIGTERM');
        }),
    ),
  );
}

function tail(node: KafkaNode): string {
  for (const file of [node.logFile, join(node.logFile, '..', 'stdout.log')]) {
    try {
      return readFileSync(file, 'utf8').split('\n').slice(-40).join('\n');
    } catch {
      // try the next file
    }
  }
  return '(no log)';
}

function runJava(cp: string, cwd: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('java', ['-cp', cp, `-Dlog4j2.configurationFile=${join(cwd, 'log4j2.properties')}`, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
