// Benchmark (issue 8 performance): how many idle, authenticated Kafka connections one router holds,
// and at what memory cost. Target: 10,000 idle authenticated connections within 1 GiB.
// Real processes: etcd, the metadata app and the router app (built: npx nx build router metadata);
// this process opens the connections with hand-built frames (ApiVersions, SaslHandshake, PLAIN
// SaslAuthenticate — what every client sends first), keeps them open and idle, then reads the
// router's resident memory from /proc and checks that a sample of them still answers.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/bench-router-connections.ts [--connections N]
// Prints one JSON BenchResult on stdout.
import { readFileSync } from 'node:fs';
import { metadataV1 } from '@stratus/contracts';
import type { ApiVersionsResponse, SaslAuthenticateResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { RawClient } from '@stratus/kafka-raw-client';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { cleanupResources, sleep, startApp, startEtcd, routerKafkaPort } from '@stratus/platform-testing';
import { formatResult, machineInfo } from './result';

const GIB = 1024 * 1024 * 1024;
const TARGET_CONNECTIONS = 10_000;
/** Connections being set up at once: enough to be quick, few enough not to trip accept backlogs. */
const OPEN_CONCURRENCY = 200;
const SAMPLE = 100;
/** Generous: the point is memory held, not login latency on a possibly busy machine. */
const CALL_TIMEOUT_MS = 60_000;

function rssBytes(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'));
  const kib = line ? Number(line.replace(/\D+/g, '')) : NaN;
  if (!Number.isFinite(kib)) throw new Error(`no VmRSS for pid ${pid}`);
  return kib * 1024;
}

/** What a client sends before it can do anything: ApiVersions, SaslHandshake v1, SaslAuthenticate (PLAIN). */
async function openAuthenticated(port: number, user: string, password: string): Promise<RawClient> {
  const client = await RawClient.connect(port);
  try {
    await client.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'stratus-bench', clientSoftwareVersion: '1.0' }, CALL_TIMEOUT_MS);
    const handshake = await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' }, CALL_TIMEOUT_MS);
    if (handshake.body.errorCode !== 0) throw new Error(`SaslHandshake error ${handshake.body.errorCode}`);
    const auth = await client.call<SaslAuthenticateResponse>(36, 2, { authBytes: Buffer.from(`\0${user}\0${password}`, 'utf8') }, CALL_TIMEOUT_MS);
    if (auth.body.errorCode !== 0) throw new Error(`SaslAuthenticate error ${auth.body.errorCode}: ${auth.body.errorMessage ?? ''}`);
    return client;
  } catch (error) {
    client.close();
    throw error;
  }
}

function parseConnections(argv: readonly string[]): number {
  const i = argv.indexOf('--connections');
  if (i < 0) return TARGET_CONNECTIONS;
  const n = Number(argv[i + 1]);
  if (!Number.isInteger(n) || n < 1) throw new Error('--connections needs a positive integer');
  return n;
}

async function main(): Promise<void> {
  const wanted = parseConnections(process.argv.slice(2));
  const etcd = await startEtcd();
  const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
  await metadata.waitReady({ timeoutMs: 120_000 });
  const router = await startApp('router', { env: { STRATUS_METADATA_ADDRESS: metadata.grpcAddress, STRATUS_KAFKA_PORT: '0' } });
  await router.waitReady({ timeoutMs: 120_000 });
  const port = await routerKafkaPort(router, { timeoutMs: 30_000 });

  const client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
  const tenant = await unaryCall(client, client.createTenant, { name: 'bench', cell: '', labels: {} }, { timeoutMs: 30_000 });
  const key = await unaryCall(client, client.createApiKey, {
    tenantId: tenant.tenant?.tenantId,
    description: 'router connections bench',
    scramMechanisms: [],
    superUser: false,
  }, { timeoutMs: 30_000 });
  // The cell's default tenant limits (1,000 connections) would refuse most of them: lift them for this tenant.
  await unaryCall(client, client.setQuotas, {
    tenantId: tenant.tenant?.tenantId,
    quotas: { maxConnections: 2 * wanted, connectionCreationsPerSecond: 100_000 },
    expectedRevision: 0n,
    validateOnly: false,
  }, { timeoutMs: 30_000 });
  client.close();
  const user = key.apiKey?.keyId ?? '';

  // Baseline: the router with one authenticated connection (credentials cached, code paths warm).
  const first = await openAuthenticated(port, user, key.secret);
  await sleep(3_000);
  const rssBaseline = rssBytes(router.process.pid);

  const clients: RawClient[] = [first];
  let failures = 0;
  const failureReasons = new Map<string, number>();
  const t0 = process.hrtime.bigint();
  let next = 1;
  await Promise.all(
    Array.from({ length: OPEN_CONCURRENCY }, async () => {
      while (next < wanted) {
        next += 1;
        try {
          clients.push(await openAuthenticated(port, user, key.secret));
        } catch (error) {
          failures += 1;
          const reason = error instanceof Error ? error.message : String(error);
          failureReasons.set(reason, (failureReasons.get(reason) ?? 0) + 1);
        }
      }
    }),
  );
  const openSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
  // Idle for a while so the router's allocations from the burst can be collected.
  await sleep(10_000);
  const rssHeld = rssBytes(router.process.pid);

  // The connections are alive: a sample of them still answers ApiVersions.
  const sample = clients.filter((_, i) => i % Math.max(1, Math.floor(clients.length / SAMPLE)) === 0).slice(0, SAMPLE);
  const answered = (await Promise.allSettled(sample.map((c) => c.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'stratus-bench', clientSoftwareVersion: '1.0' }, CALL_TIMEOUT_MS)))).filter(
    (r) => r.status === 'fulfilled' && r.value.body.errorCode === 0,
  ).length;
  const open = clients.filter((c) => !c.closed).length;
  for (const c of clients) c.close();
  for (const [reason, count] of failureReasons) process.stderr.write(`failed to open ${count}: ${reason}\n`);
  if (process.env['BENCH_DEBUG']) {
    const msgs = new Map<string, number>();
    for (const line of router.process.stdout().split('\n')) {
      const m = /"msg":"([^"]*)"/.exec(line);
      const reason = /"reason":"([^"]*)"/.exec(line)?.[1] ?? '';
      if (m?.[1] !== undefined) msgs.set(`${m[1]} ${reason}`, (msgs.get(`${m[1]} ${reason}`) ?? 0) + 1);
    }
    process.stderr.write(`router log: ${JSON.stringify([...msgs])}\n`);
  }

  const perConnection = (rssHeld - rssBaseline) / Math.max(1, clients.length - 1);
  const projectedRssAtTarget = rssBaseline + perConnection * TARGET_CONNECTIONS;
  process.stdout.write(
    formatResult({
      name: 'router-idle-authenticated-connections',
      unit: 'connections',
      metrics: {
        connectionsOpen: open,
        connectionFailures: failures,
        sampleAnswered: answered,
        sampleSize: sample.length,
        openPerSecond: (clients.length - 1) / openSeconds,
        routerRssBaselineBytes: rssBaseline,
        routerRssHeldBytes: rssHeld,
        bytesPerConnection: perConnection,
        projectedRssAtTargetBytes: projectedRssAtTarget,
        // >= 1 means 10,000 connections fit in 1 GiB of router memory (issue 8).
        gibOverProjectedRss: GIB / projectedRssAtTarget,
      },
      params: { connections: wanted, mechanism: 'PLAIN', openConcurrency: OPEN_CONCURRENCY, idleSecondsBeforeMeasure: 10 },
      target: { metric: 'gibOverProjectedRss', atLeast: 1, met: open >= Math.min(wanted, TARGET_CONNECTIONS) && GIB / projectedRssAtTarget >= 1 },
      machine: machineInfo(),
    }) + '\n',
  );
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupResources());
