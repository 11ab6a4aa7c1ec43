// A real single-member etcd for integration tests: fresh data dir, free ports, readiness via the
// /health endpoint, restart on the same ports and data (tests restart etcd under live watches).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Etcd3 } from 'etcd3';
import { freePorts } from './ports';
import { httpGet } from './http';
import { ManagedProcess, type StopResult } from './process';
import { registerResource } from './registry';
import { makeTempDir } from './temp';
import { StopWaiting, waitFor } from './wait';

export const ETCD_BINARY = process.env['STRATUS_ETCD_BINARY'] ?? '/usr/bin/etcd';

export interface StartEtcdOptions {
  /** Reuse an existing data dir (it is then not removed on cleanup). */
  readonly dataDir?: string;
  readonly readyTimeoutMs?: number;
  /** Ports promised to servers that have not bound them yet; etcd's ports are never among them. */
  readonly excludePorts?: readonly number[];
}

export interface EtcdHandle {
  /** Client endpoints in the form the etcd3 client and our apps take ("http://127.0.0.1:port"). */
  readonly endpoints: readonly string[];
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly dataDir: string;
  readonly name: string;
  /** Current process; replaced by restart(). */
  readonly process: ManagedProcess;
  /** Graceful stop (SIGTERM). The data dir is kept until harness cleanup. */
  stop(): Promise<StopResult>;
  /** Sends a signal to the current etcd process (e.g. SIGKILL for a crash, SIGSTOP for a hang). */
  kill(signal: NodeJS.Signals): void;
  /** Starts etcd again (stopping it first if running) with the same name, ports and data dir. */
  restart(): Promise<void>;
  /** A client bound to this etcd, closed by harness cleanup. */
  client(): Etcd3;
}

const MAX_PORT_ATTEMPTS = 5;

export class EtcdNotInstalledError extends Error {
  override readonly name = 'EtcdNotInstalledError';
}

export async function startEtcd(options: StartEtcdOptions = {}): Promise<EtcdHandle> {
  if (!existsSync(ETCD_BINARY)) {
    throw new EtcdNotInstalledError(
      `etcd binary not found at ${ETCD_BINARY}: install etcd-server (apt-get install etcd-server) or set STRATUS_ETCD_BINARY`,
    );
  }
  const readyTimeoutMs = options.readyTimeoutMs ?? 20_000;
  const work = await makeTempDir('etcd');
  const dataDir = options.dataDir ?? join(work.path, 'data');
  const name = `stratus-test-${randomBytes(4).toString('hex')}`;

  // Ports come from bind(0) and are released before etcd binds them; another process can win that
  // race, so a start that fails with EADDRINUSE is retried on fresh ports.
  for (let attempt = 1; ; attempt++) {
    const [clientPort, peerPort] = await freePorts(2, options.excludePorts ?? []);
    const clientUrl = `http://127.0.0.1:${clientPort}`;
    const peerUrl = `http://127.0.0.1:${peerPort}`;
    const launch = (): Promise<ManagedProcess> =>
      launchEtcd({ name, dataDir, clientUrl, peerUrl, logFile: join(work.path, 'etcd.log'), readyTimeoutMs });
    let proc: ManagedProcess;
    try {
      proc = await launch();
    } catch (err) {
      if (err instanceof AddressInUseError && attempt < MAX_PORT_ATTEMPTS) continue;
      throw err;
    }
    return makeHandle({ name, dataDir, clientUrl, peerUrl, launch, initial: proc });
  }
}

class AddressInUseError extends Error {}

interface LaunchOptions {
  readonly name: string;
  readonly dataDir: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly logFile: string;
  readonly readyTimeoutMs: number;
}

async function launchEtcd(o: LaunchOptions): Promise<ManagedProcess> {
  const proc = await ManagedProcess.spawn({
    label: `etcd ${o.clientUrl}`,
    command: ETCD_BINARY,
    args: [
      `--name=${o.name}`,
      `--data-dir=${o.dataDir}`,
      `--listen-client-urls=${o.clientUrl}`,
      `--advertise-client-urls=${o.clientUrl}`,
      `--listen-peer-urls=${o.peerUrl}`,
      `--initial-advertise-peer-urls=${o.peerUrl}`,
      `--initial-cluster=${o.name}=${o.peerUrl}`,
      `--initial-cluster-token=${o.name}`,
      '--initial-cluster-state=new',
      '--logger=zap',
      '--log-outputs=stderr',
      '--log-level=warn',
    ],
    // etcd reads ETCD_* variables as flags; do not let the developer's environment leak in.
    env: Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('ETCD_'))),
    logFile: o.logFile,
  });
  try {
    await waitFor(
      async () => {
        if (!proc.running) {
          const output = proc.stderr();
          if (/address already in use/i.test(output)) throw new StopWaiting(new AddressInUseError(output));
          throw new StopWaiting(new Error(`etcd exited early (code ${proc.exitStatus?.code})\n${proc.tail()}`));
        }
        const res = await httpGet(`${o.clientUrl}/health`, { timeoutMs: 1_000 });
        return res.status === 200 && /"health":\s*"true"/.test(res.body);
      },
      { description: `etcd at ${o.clientUrl} to report healthy`, timeoutMs: o.readyTimeoutMs, intervalMs: 50 },
    );
  } catch (err) {
    await proc.stop({ timeoutMs: 2_000 });
    if (err instanceof Error && !(err instanceof AddressInUseError) && !err.message.includes('stderr (tail)')) {
      err.message += `\n${proc.tail()}`;
    }
    throw err;
  }
  return proc;
}

interface HandleParts {
  readonly name: string;
  readonly dataDir: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  readonly launch: () => Promise<ManagedProcess>;
  readonly initial: ManagedProcess;
}

function makeHandle(p: HandleParts): EtcdHandle {
  let current = p.initial;
  return {
    endpoints: [p.clientUrl],
    clientUrl: p.clientUrl,
    peerUrl: p.peerUrl,
    dataDir: p.dataDir,
    name: p.name,
    get process() {
      return current;
    },
    stop: () => current.stop({ signal: 'SIGTERM', timeoutMs: 10_000 }),
    kill: (signal) => current.kill(signal),
    restart: async () => {
      if (current.running) await current.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
      current = await p.launch();
    },
    client: () => {
      const client = new Etcd3({ hosts: [p.clientUrl] });
      const unregister = registerResource({
        label: `etcd3 client for ${p.clientUrl}`,
        cleanup: async () => {
          unregister();
          client.close();
        },
      });
      return client;
    },
  };
}
