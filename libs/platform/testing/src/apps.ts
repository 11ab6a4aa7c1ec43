// Starts a built Stratus app (dist/apps/<name>/main.js) as a child process on port 0 and learns its
// ports from its `ready` log line. Build the apps first: the system-tests integration target
// depends on their build targets.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { httpGet } from './http';
import { ManagedProcess, type ExitInfo, type StopOptions, type StopResult } from './process';
import { parseReadyLine, type ReadyPorts } from './ready-line';
import { makeTempDir } from './temp';
import { StopWaiting, waitFor } from './wait';

export const STRATUS_APPS = ['router', 'broker', 'metadata', 'replication', 'tiered-storage'] as const;
export type StratusAppName = (typeof STRATUS_APPS)[number];

export interface SpawnAppOptions {
  /** Extra environment (STRATUS_* config keys). Merged over the harness defaults. */
  readonly env?: Readonly<Record<string, string>>;
  readonly args?: readonly string[];
}

export interface StartAppOptions extends SpawnAppOptions {
  /** How long to wait for the `ready` log line. */
  readonly readyTimeoutMs?: number;
}

export interface SpawnedApp {
  /** The app name (or a fixture's label). */
  readonly label: string;
  readonly process: ManagedProcess;
  /** Temp dir of this run (holds app.log); free for the app's data too. */
  readonly workDir: string;
  readonly logFile: string;
  /** Resolves once the process exits, whether or not it ever became ready. */
  readonly exited: Promise<ExitInfo>;
}

export interface AppHandle extends SpawnedApp, ReadyPorts {
  /** "127.0.0.1:<grpcPort>", as @grpc/grpc-js takes it. */
  readonly grpcAddress: string;
  /** "http://127.0.0.1:<adminPort>" serving /healthz, /readyz, /metrics. */
  readonly adminUrl: string;
  /** Polls GET /readyz until it answers 200. */
  waitReady(options?: { timeoutMs?: number }): Promise<void>;
  stop(options?: StopOptions): Promise<StopResult>;
  kill9(): Promise<ExitInfo>;
  pause(): void;
  resume(): void;
}

export class AppNotBuiltError extends Error {
  override readonly name = 'AppNotBuiltError';
}

/** The repository root (where nx.json lives), found from this file so tests may run from any cwd. */
export function workspaceRoot(): string {
  let dir = __dirname;
  for (;;) {
    if (existsSync(join(dir, 'nx.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no nx.json above ${__dirname}`);
    dir = parent;
  }
}

export function appMainPath(name: StratusAppName): string {
  return join(workspaceRoot(), 'dist', 'apps', name, 'main.js');
}

export interface NodeServiceOptions extends StartAppOptions {
  /** Used in labels, temp dir names and error messages. */
  readonly label: string;
  /** JavaScript entry point run with the current node binary. */
  readonly entry: string;
}

/** Spawns the app without waiting for readiness (for tests of start-up failures). */
export async function spawnApp(name: StratusAppName, options: SpawnAppOptions = {}): Promise<SpawnedApp> {
  const main = appMainPath(name);
  if (!existsSync(main)) {
    throw new AppNotBuiltError(`${main} does not exist: build it first (npx nx build ${name})`);
  }
  return spawnNodeService({ ...options, label: name, entry: main });
}

/** Spawns the app and waits for its `ready` line; the returned handle knows its ports. */
export async function startApp(name: StratusAppName, options: StartAppOptions = {}): Promise<AppHandle> {
  const main = appMainPath(name);
  if (!existsSync(main)) {
    throw new AppNotBuiltError(`${main} does not exist: build it first (npx nx build ${name})`);
  }
  return startNodeService({ ...options, label: name, entry: main });
}

/** Any node program that follows the service contract (port 0 + ready line), e.g. a test fixture. */
export async function spawnNodeService(options: NodeServiceOptions): Promise<SpawnedApp> {
  const work = await makeTempDir(`app-${options.label}`);
  const logFile = join(work.path, 'app.log');
  // The developer's own STRATUS_* settings must not change what a test runs against.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('STRATUS_')));
  const proc = await ManagedProcess.spawn({
    label: `app ${options.label}`,
    command: process.execPath,
    args: ['--enable-source-maps', options.entry, ...(options.args ?? [])],
    cwd: work.path,
    env: {
      ...inherited,
      STRATUS_GRPC_PORT: '0',
      STRATUS_ADMIN_PORT: '0',
      STRATUS_BIND_HOST: '127.0.0.1',
      STRATUS_NODE_ID: `${options.label}-test-${process.pid}`,
      ...options.env,
    },
    logFile,
  });
  return { label: options.label, process: proc, workDir: work.path, logFile, exited: proc.exited };
}

export async function startNodeService(options: NodeServiceOptions): Promise<AppHandle> {
  const spawned = await spawnNodeService(options);
  const proc = spawned.process;
  const label = options.label;
  let ports: ReadyPorts;
  try {
    ports = await proc.waitForLine((line, stream) => (stream === 'stdout' ? parseReadyLine(line) : undefined), {
      timeoutMs: options.readyTimeoutMs ?? 30_000,
      description: `app ${label} to log its ready line ({"msg":"ready","grpcPort":…,"adminPort":…})`,
    });
  } catch (err) {
    await proc.stop({ timeoutMs: 5_000 });
    throw err;
  }
  const adminUrl = `http://127.0.0.1:${ports.adminPort}`;
  return {
    ...spawned,
    ...ports,
    grpcAddress: `127.0.0.1:${ports.grpcPort}`,
    adminUrl,
    waitReady: async ({ timeoutMs = 30_000 } = {}) => {
      await waitFor(
        async () => {
          if (!proc.running) throw new StopWaiting(new Error(`app ${label} exited\n${proc.tail()}`));
          return (await httpGet(`${adminUrl}/readyz`, { timeoutMs: 2_000 })).status === 200;
        },
        { description: `app ${label} GET /readyz to answer 200`, timeoutMs, intervalMs: 100 },
      );
    },
    stop: (stopOptions) => proc.stop(stopOptions),
    kill9: () => proc.kill9(),
    pause: () => proc.pause(),
    resume: () => proc.resume(),
  };
}

/**
 * The Kafka port of a router started with STRATUS_KAFKA_PORT=0, from its `kafka listener bound`
 * log line (the OS picks the port, so the log is the only place it is known).
 */
export function routerKafkaPort(router: AppHandle, options: { timeoutMs?: number } = {}): Promise<number> {
  return router.process.waitForLine(
    (line, stream) => {
      if (stream !== 'stdout' || !line.includes('"kafka listener bound"')) return undefined;
      const port = (JSON.parse(line) as { kafkaPort?: unknown }).kafkaPort;
      return typeof port === 'number' ? port : undefined;
    },
    { timeoutMs: options.timeoutMs ?? 30_000, description: 'router to log its Kafka port' },
  );
}
