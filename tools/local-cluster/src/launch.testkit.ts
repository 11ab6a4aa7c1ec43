// Starts `npm start`'s program (tools/local-cluster/src/main.ts) as a child process on free ports
// and a temporary data dir, for the integration tests that need a whole local cluster.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { freePorts, makeTempDir, waitFor, workspaceRoot } from '@stratus/platform-testing';
import { Kafka, logLevel, type RetryOptions } from 'kafkajs';
import type { ClusterCredentials } from './cluster-credentials';

export interface LaunchedCluster {
  readonly dataDir: string;
  readonly kafkaPorts: string;
  readonly child: ChildProcessByStdio<null, Readable, Readable>;
  /** Everything printed so far (stdout and stderr). */
  output(): string;
  readonly exited: Promise<number | null>;
  credentials(): ClusterCredentials;
}

export function spawnLocalCluster(dataDir: string, kafkaPorts: string, extraArgs: readonly string[] = []): { child: ChildProcessByStdio<null, Readable, Readable>; output: () => string; exited: Promise<number | null> } {
  const child = spawn('node', ['-r', '@swc-node/register', 'tools/local-cluster/src/main.ts', '--data-dir', dataDir, '--kafka-ports', kafkaPorts, ...extraArgs], {
    cwd: workspaceRoot(),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export interface LaunchOptions {
  /** How long the ten services may take to come up; default 180 s (a loaded shared machine may need more). */
  readonly startTimeoutMs?: number;
  /** More `npm start` options, e.g. `--object-store-url` and `--service-env` (cli-options.ts). */
  readonly extraArgs?: readonly string[];
}

/** Starts the cluster and resolves once it printed that it is up. */
export async function launchLocalCluster(name: string, options: LaunchOptions = {}): Promise<LaunchedCluster> {
  const dir = await makeTempDir(name);
  // Free ports rather than 9092-9094, so the suite can run beside a developer's `npm start`.
  const kafkaPorts = (await freePorts(3)).join(',');
  const { child, output, exited } = spawnLocalCluster(dir.path, kafkaPorts, options.extraArgs ?? []);
  await waitFor(() => output().includes('local cluster is up') || child.exitCode !== null, {
    timeoutMs: options.startTimeoutMs ?? 180_000,
    intervalMs: 200,
    description: `the local cluster to start; output so far:\n${output()}`,
  });
  if (child.exitCode !== null) throw new Error(`the local cluster exited with ${child.exitCode}:\n${output()}`);
  // The connection help is written right after the "up" line.
  await waitFor(() => output().includes('press Ctrl-C to stop'), { timeoutMs: 10_000, intervalMs: 50, description: 'the connection help' });
  return {
    dataDir: dir.path,
    kafkaPorts,
    child,
    output,
    exited,
    credentials: () => JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as ClusterCredentials,
  };
}

export interface StopOptions {
  /** How long the supervisor may take to stop its services after SIGTERM before it is killed; default 45 s. */
  readonly graceMs?: number;
}

/**
 * For afterAll: stops a cluster that launchLocalCluster started (or nothing, when beforeAll failed
 * before it was up). SIGTERM lets the supervisor stop every service in order; if it has not exited
 * within the grace period it is killed, so a stuck shutdown cannot outlast the hook's own timeout.
 */
export async function stopLocalCluster(cluster: LaunchedCluster | undefined, options: StopOptions = {}): Promise<void> {
  if (!cluster || cluster.child.exitCode !== null || cluster.child.signalCode !== null) return;
  cluster.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      cluster.child.kill('SIGKILL');
      resolve();
    }, options.graceMs ?? 45_000);
  });
  await Promise.race([cluster.exited, killed]);
  clearTimeout(timer);
  await cluster.exited;
}

export interface KafkajsClientOptions {
  /** kafkajs retry policy; default 8 retries from 200 ms (enough for leaders settling after a topic is made). */
  readonly retry?: RetryOptions;
}

/** A kafkajs client of the cluster's tenant: its bootstrap address and API key over SASL/SCRAM-SHA-256, quiet logs. */
export function kafkajsClient(cluster: LaunchedCluster, clientId: string, options: KafkajsClientOptions = {}): Kafka {
  const creds = cluster.credentials();
  return new Kafka({
    clientId,
    brokers: [creds.bootstrap],
    sasl: { mechanism: 'scram-sha-256', username: creds.username, password: creds.password },
    logLevel: logLevel.NOTHING,
    retry: options.retry ?? { retries: 8, initialRetryTime: 200 },
  });
}
