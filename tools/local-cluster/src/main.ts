// `npm start`: a complete local Stratus cluster, each service its own process, data kept in
// .stratus/local/ between runs. Ctrl-C or SIGTERM stops every process cleanly.
import { rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { cleanupResources } from '@stratus/platform-testing';
import { parseCliOptions, UsageError, type LocalClusterOptions } from './cli-options';
import { ProgressDisplay } from './progress';
import { LocalSupervisor } from './supervisor';
import { clusterFilePath, ensureClusterCredentials, type ClusterCredentials } from './cluster-credentials';
import { clientPropertiesPath, connectionHelp, javaClientProperties } from './connection-help';
import { localTopology } from './topology';

const WARN_OR_WORSE = / (WARN|ERROR|FATAL) /;

async function main(options: LocalClusterOptions): Promise<number> {
  if (options.fresh) rmSync(options.dataDir, { recursive: true, force: true });
  mkdirSync(options.dataDir, { recursive: true });
  const progress = new ProgressDisplay();
  let started = false;
  const supervisor = new LocalSupervisor(options.dataDir, {
    onState: (id, state, detail) => progress.update(id, state, detail),
    // Until start-up is complete the progress block owns the terminal; afterwards problems are shown.
    onLogLine: (line) => {
      if (started && WARN_OR_WORSE.test(line)) process.stdout.write(line + '\n');
    },
  });

  let stopping: Promise<number> | undefined;
  const stop = (reason: string): Promise<number> => {
    stopping ??= (async () => {
      progress.freeze();
      process.stdout.write(`\n[stratus] stopping (${reason})\n`);
      await supervisor.stopAll();
      await cleanupResources().catch(() => undefined);
      return 0;
    })();
    return stopping;
  };
  let signals = 0;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      signals += 1;
      // A second Ctrl-C means "now": the harness watchdog reaps the children when we exit.
      if (signals > 1) process.exit(130);
      void stop(signal).then((code) => process.exit(code));
    });
  }

  let credentials: ClusterCredentials;
  let reused: boolean;
  try {
    await supervisor.startEtcd(options.kafkaPorts);
    await supervisor.startAll(localTopology(options.dataDir, options.kafkaPorts, { objectStoreUrl: options.objectStoreUrl, serviceEnv: options.serviceEnv }));
    const metadataAddress = supervisor.metadataAddress;
    if (metadataAddress === undefined) throw new Error('the local topology has no metadata service');
    ({ credentials, reused } = await ensureClusterCredentials({
      dataDir: options.dataDir,
      metadataAddress,
      bootstrap: `127.0.0.1:${options.kafkaPorts[0]}`,
    }));
  } catch (error) {
    progress.freeze();
    process.stderr.write(`\n[stratus] start-up failed: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof AggregateError) {
      for (const inner of error.errors) process.stderr.write(`  - ${inner instanceof Error ? inner.message : String(inner)}\n`);
    }
    await stop('start-up failed');
    return 1;
  }
  started = true;
  progress.freeze();
  const services = supervisor.running.map((s) => ({
    id: s.spec.id,
    app: s.spec.app,
    az: s.spec.az,
    grpc: `127.0.0.1:${s.grpcPort}`,
    admin: `http://127.0.0.1:${s.adminPort}`,
    pid: s.process.pid,
  }));
  writeFileSync(
    join(options.dataDir, 'services.json'),
    JSON.stringify({ etcd: supervisor.etcdEndpoints, services }, null, 2) + '\n',
  );
  // Holds the password, like cluster.json: readable by this user only.
  writeFileSync(clientPropertiesPath(options.dataDir), javaClientProperties(credentials), { mode: 0o600 });
  const logs = relative(process.cwd(), join(options.dataDir, 'logs'));
  process.stdout.write(
    [
      '',
      `[stratus] local cluster is up: ${services.length} services + etcd (${supervisor.etcdEndpoints.join(', ')})`,
      `[stratus] services and ports: ${relative(process.cwd(), join(options.dataDir, 'services.json'))}`,
      `[stratus] logs: ${logs}/<service>.log, readable combined view: tail -f ${logs}/combined.log`,
      `[stratus] tenant "${credentials.tenant}" with ${reused ? 'the saved' : 'a new'} API key ${credentials.username}, saved as JSON in ${relative(process.cwd(), clusterFilePath(options.dataDir))}`,
      ...connectionHelp(credentials, { clientPropertiesShownAs: relative(process.cwd(), clientPropertiesPath(options.dataDir)) || clientPropertiesPath(options.dataDir) }),
      '[stratus] press Ctrl-C to stop',
      '',
    ].join('\n'),
  );
  if (options.exitWhenReady) return stop('--exit-when-ready');
  return new Promise<number>(() => undefined);
}

let options: LocalClusterOptions;
try {
  options = parseCliOptions(process.argv.slice(2), process.cwd());
} catch (error) {
  process.stderr.write(`${error instanceof UsageError ? error.message : String(error)}\n`);
  process.exit(2);
}
main(options).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`[stratus] ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
