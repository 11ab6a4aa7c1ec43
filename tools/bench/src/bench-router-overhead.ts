// Benchmark (issue 8 performance): what the router costs on the produce and the fetch path.
// Produce: the same 16 KiB record batches (16 × 1 KiB, acks=all, 16 partitions, the same number
// in flight on both paths: 32, or --in-flight) are sent
//   - through the router: Kafka Produce v9 frames over authenticated TCP connections to the routers
//     a client's Metadata names as the partition leaders (one here: the routers of the bootstrap
//     router's AZ; `--routers N` spreads them over N routers instead), and
//   - to the brokers alone: the broker's gRPC Produce stream, through the router's own
//     BrokerConnections (exactly what a router sends after its Kafka front end),
// in alternating rounds against one local cluster (`npm start`'s program on free ports), and
// reports both rates, the ratio and the overhead (target: at most 15 % throughput loss). Also the
// p99 end-to-end (send → acks=all answer) latency through the router at 50 % of its max rate.
// Fetch: the same lanes then read the topic just written (Fetch v12, 1 MiB, max_wait 0) along the
// same two paths, in alternating rounds too (router-overhead-fetch.ts), with the same target.
// Both results also carry the CPU per MB (from /proc over the measured windows) the routers spend
// and the servers spend on each path, and the routers' as a share of the servers' (cluster-cpu.ts).
// The tenant's produce/fetch/request quotas are lifted first: this measures the router, not quotas.
// Build the apps first (the Nx target bench-router-overhead does).
// Each result also splits a request's mean time through the router into the routers' broker call
// (their own stratus_router_broker_call_seconds) and the rest, the time spent in the router itself
// (router-call-latency.ts); measured inside the same windows, that split does not move with the
// machine's drift between one path's window and the other's.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/bench-router-overhead.ts [--seconds N] [--rounds N (4)] [--warmup-seconds N (30)] [--in-flight N] [--routers N] [--separate-cpus]
// Prints one JSON BenchResult per scenario on stdout: router-overhead-produce, router-produce-latency-at-half-load
// and router-overhead-fetch (each with a -separate-cpus suffix under --separate-cpus).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { clockPair, writeWindowMarker, type ClockPair } from '@stratus/bench-harness';
import { brokerV1, metadataV1 } from '@stratus/contracts';
import type { ApiVersionsResponse, CreateTopicsResponse, MetadataResponse, ProduceResponse, SaslAuthenticateResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { RawClient } from '@stratus/kafka-raw-client';
import { buildBatch } from '@stratus/kafka-records';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { createLogger } from '@stratus/platform-logging';
import { cleanupResources, freePorts, makeTempDir, registerResource, sleep, waitFor, workspaceRoot } from '@stratus/platform-testing';
import { BrokerConnections } from '@stratus/router-broker-routing';
import { watchClusterView } from '@stratus/router-cluster-view';
import { build } from 'hdr-histogram-js';
import { clusterServices, cpuByApp, cpuSpent, LOAD_GENERATOR, PathCost, SERVER_APPS, withLoadGenerator } from './cluster-cpu';
import { meanCallMs, readRouterCallTotals, routerAdminUrls } from './router-call-latency';
import { separateRoutersFromServers } from './cpu-placement';
import { formatResult, machineInfo } from './result';
import { directReader, driveReads, routerReader } from './router-overhead-fetch';

const MB = 1024 * 1024;
const PARTITIONS = 16;
/** Produces (and reads) in flight unless --in-flight says otherwise. */
const DEFAULT_IN_FLIGHT = 32;
const TOPIC = 'router-overhead';
/** client.rack of the bench's consumers: the local cluster's first zone, router-a's. */
const CONSUMER_ZONE = 'a';
const TARGET_MAX_LOSS = 0.15;
const REQUEST_TIMEOUT_MS = 60_000;

interface Cluster {
  readonly bootstrapPort: number;
  /** Every router's Kafka port (the local cluster runs three). */
  readonly kafkaPorts: readonly number[];
  readonly username: string;
  readonly password: string;
  readonly tenant: string;
  readonly metadataAddress: string;
  /** The local cluster's supervisor process and data directory (services.json lists the pids). */
  readonly pid: number;
  readonly dataDir: string;
}

/** `npm start`'s program on free ports and a temp dir; the command line is its public interface. */
async function startCluster(): Promise<Cluster> {
  const dir = await makeTempDir('bench-router-overhead');
  const ports = await freePorts(3);
  const child = spawn('node', ['-r', '@swc-node/register', 'tools/local-cluster/src/main.ts', '--data-dir', dir.path, '--kafka-ports', ports.join(',')], {
    cwd: workspaceRoot(),
    env: { ...process.env, SWC_NODE_PROJECT: 'tsconfig.base.json' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (chunk: Buffer): void => {
    output = (output + chunk.toString()).slice(-20_000);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  registerResource({
    label: 'local cluster',
    cleanup: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGINT');
      await new Promise((resolve) => child.once('exit', resolve));
    },
    killNow: () => child.kill('SIGKILL'),
  });
  await waitFor(() => output.includes('press Ctrl-C to stop') || child.exitCode !== null, { timeoutMs: 300_000, intervalMs: 250, description: 'the local cluster' });
  if (child.exitCode !== null) throw new Error(`local cluster exited:\n${output}`);
  const creds = JSON.parse(readFileSync(join(dir.path, 'cluster.json'), 'utf8')) as { username: string; password: string; tenant: string; metadataAddress: string };
  return { bootstrapPort: ports[0] ?? 0, kafkaPorts: ports, ...creds, pid: child.pid ?? 0, dataDir: dir.path };
}

/** Logs in, retrying for up to 2 minutes: a fresh cluster may not yet answer credential lookups in time. */
async function connectRouter(cluster: Cluster, port = cluster.bootstrapPort): Promise<RawClient> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      return await tryConnectRouter(cluster, port);
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(1000);
    }
  }
}

async function tryConnectRouter(cluster: Cluster, port: number): Promise<RawClient> {
  const client = await RawClient.connect(port);
  await client.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'stratus-bench', clientSoftwareVersion: '1.0' }, REQUEST_TIMEOUT_MS);
  const hs = await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' }, REQUEST_TIMEOUT_MS);
  if (hs.body.errorCode !== 0) throw new Error(`SaslHandshake ${hs.body.errorCode}`);
  const auth = await client.call<SaslAuthenticateResponse>(36, 2, { authBytes: Buffer.from(`\0${cluster.username}\0${cluster.password}`) }, REQUEST_TIMEOUT_MS);
  if (auth.body.errorCode !== 0) {
    client.close();
    throw new Error(`SaslAuthenticate ${auth.body.errorCode}`);
  }
  return client;
}

/** The Kafka ports of the routers a client's Metadata names as leaders of `topic`'s partitions. */
async function leaderPorts(conn: RawClient, topic: string): Promise<number[]> {
  const md = await conn.call<MetadataResponse>(3, 12, { topics: [{ name: topic }], allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }, REQUEST_TIMEOUT_MS);
  const portOf = new Map(md.body.brokers.map((b) => [b.nodeId, b.port]));
  const leaders = new Set((md.body.topics[0]?.partitions ?? []).map((p) => p.leaderId));
  const ports = [...leaders].map((id) => portOf.get(id)).filter((port): port is number => port !== undefined);
  if (ports.length === 0) throw new Error(`Metadata named no leader for ${topic}`);
  return ports.sort((a, b) => a - b);
}

/** One send: `lane` is the sender's index (0 .. inFlight-1), so a path can give each lane its own connection. */
type Send = (partition: number, batch: Buffer, lane: number) => Promise<boolean>;

const errorCodes = new Map<string, number>();
function countError(what: string): void {
  errorCodes.set(what, (errorCodes.get(what) ?? 0) + 1);
}

/** Keeps `inFlight` sends going for `seconds` (or at `ratePerSec` if given); returns MB/s and a latency histogram. */
async function drive(
  send: Send,
  batches: readonly Buffer[],
  options: { seconds: number; inFlight: number; ratePerSec?: number },
): Promise<PathRun & { p50: number; p99: number; p999: number }> {
  const { seconds, inFlight, ratePerSec } = options;
  const hist = build({ lowestDiscernibleValue: 1, highestTrackableValue: 120_000_000, numberOfSignificantValueDigits: 3 });
  const end = Date.now() + seconds * 1000;
  let bytes = 0;
  let errors = 0;
  let i = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: inFlight }, async (_, lane) => {
      let nextAt = Date.now() + (ratePerSec ? (lane * 1000) / ratePerSec : 0);
      while (Date.now() < end) {
        if (ratePerSec) {
          const wait = nextAt - Date.now();
          if (wait > 0) await sleep(wait);
          nextAt += (inFlight * 1000) / ratePerSec;
        }
        const n = i++;
        const batch = batches[n % batches.length] as Buffer;
        const started = process.hrtime.bigint();
        const ok = await send(n % PARTITIONS, batch, lane);
        hist.recordValue(Number((process.hrtime.bigint() - started) / 1000n));
        if (ok) bytes += batch.length;
        else errors += 1;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  return {
    mbps: bytes / MB / elapsed,
    megabytes: bytes / MB,
    errors,
    meanMs: hist.mean / 1000,
    p50: hist.getValueAtPercentile(50) / 1000,
    p99: hist.getValueAtPercentile(99) / 1000,
    p999: hist.getValueAtPercentile(99.9) / 1000,
  };
}

/**
 * With STRATUS_CPU_PROFILE_DIR set (tools/bench-harness/cpu-profile-hook.cjs profiles every
 * process), records each measured window so `profile-summary.ts --window` can show where the
 * routers' CPU goes while the router path is driven, without start-up and the other path.
 */
function markWindow(round: number, phase: string, start: ClockPair): void {
  const dir = process.env['STRATUS_CPU_PROFILE_DIR'];
  if (dir) writeWindowMarker(dir, { target: 'router-overhead', round, phase, start, end: clockPair() });
}

/**
 * CPU per MB moved, from /proc over the measured windows: the routers' on the router path, the
 * servers' (brokers, replication, tiered storage) on each path, and the routers' as a
 * share of what the servers spend on the brokers-alone path — the CPU a deployment adds for its
 * routers, steadier from run to run than the throughput ratio.
 */
function cpuCost(cost: { direct: PathCost; router: PathCost }): Record<string, number> {
  const routerPerMB = cost.router.perMB(['router']);
  const serversDirect = cost.direct.perMB(SERVER_APPS);
  return {
    routerCpuSecondsPerMB: routerPerMB,
    serversCpuSecondsPerMBAlone: serversDirect,
    serversCpuSecondsPerMBViaRouter: cost.router.perMB(SERVER_APPS),
    routerCpuShareOfServers: routerPerMB / serversDirect,
    loadGeneratorCpuSecondsPerMBAlone: cost.direct.perMB([LOAD_GENERATOR]),
    loadGeneratorCpuSecondsPerMBViaRouter: cost.router.perMB([LOAD_GENERATOR]),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** What one measured window of one path gives. */
interface PathRun {
  readonly mbps: number;
  readonly megabytes: number;
  readonly errors: number;
  /** A request's mean time as the load generator saw it (send to answer). */
  readonly meanMs: number;
}

type PathName = 'direct' | 'router';

interface Rounds {
  readonly direct: number[];
  readonly router: number[];
  readonly ratios: number[];
  readonly loads: number[];
  readonly cost: { direct: PathCost; router: PathCost };
  errors: number;
  /** Per router window: the request's mean time end to end, and the routers' mean broker call inside it. */
  readonly routerWindows: Array<{ meanMs: number; brokerCallMs: number }>;
}

/**
 * Drives both paths for `warmupSeconds` in alternating 5-second turns, then `rounds` measured
 * rounds of `seconds` each. A fresh local cluster speeds up over its first minute (JIT, heaps,
 * the start-up's own work dying down): with only a few seconds of warm-up the first round ran
 * 30–40 % slower than the last on either path (2026-11-30 runs), so whichever path came first
 * looked worse. The order alternates (direct, router | router, direct | …) so that, over an
 * even number of rounds, a steady drift of the machine's speed weighs on both paths alike.
 */
async function alternatingRounds(options: {
  readonly run: (path: PathName, seconds: number) => Promise<PathRun>;
  readonly seconds: number;
  readonly rounds: number;
  readonly warmupSeconds: number;
  readonly services: ReturnType<typeof clusterServices>;
  readonly routerAdmin: readonly string[];
  /** The broker rpc the router path makes (its calls are timed by the routers). */
  readonly rpc: 'Produce' | 'Fetch';
  readonly phase: string;
}): Promise<Rounds> {
  const { run, seconds, rounds, services } = options;
  for (let warmed = 0, turn = 0; warmed < options.warmupSeconds; warmed += 5, turn++) {
    await run(turn % 2 === 0 ? 'direct' : 'router', Math.min(5, options.warmupSeconds - warmed));
  }
  const out: Rounds = { direct: [], router: [], ratios: [], loads: [], cost: { direct: new PathCost(), router: new PathCost() }, errors: 0, routerWindows: [] };
  for (let r = 0; r < rounds; r++) {
    const order: PathName[] = r % 2 === 0 ? ['direct', 'router'] : ['router', 'direct'];
    const got: Partial<Record<PathName, number>> = {};
    for (const path of order) {
      const start = clockPair();
      const cpuBefore = withLoadGenerator(cpuByApp(services));
      const callsBefore = path === 'router' ? await readRouterCallTotals(options.routerAdmin, options.rpc) : undefined;
      const result = await run(path, seconds);
      out.cost[path].add(cpuSpent(cpuBefore, withLoadGenerator(cpuByApp(services))), result.megabytes);
      if (callsBefore) out.routerWindows.push({ meanMs: result.meanMs, brokerCallMs: meanCallMs(callsBefore, await readRouterCallTotals(options.routerAdmin, options.rpc)) });
      markWindow(r + 1, `${options.phase}${path}`, start);
      got[path] = result.mbps;
      out.errors += result.errors;
    }
    out.direct.push(got.direct as number);
    out.router.push(got.router as number);
    out.ratios.push((got.router as number) / (got.direct as number));
    out.loads.push(machineInfo().loadAverage1m);
  }
  return out;
}

/**
 * Throughput and where the router path's time goes, for a result's metrics. `routerAddedMs` is a
 * request's mean time through the router less the routers' mean call to a broker in the same
 * windows: the time it spent in the router itself (medians over the rounds).
 */
function roundMetrics(rounds: Rounds): Record<string, number> & { routerToBrokersAlone: number; routerMBps: number } {
  const ratio = median(rounds.ratios);
  const meanMs = median(rounds.routerWindows.map((w) => w.meanMs));
  const brokerCallMs = median(rounds.routerWindows.map((w) => w.brokerCallMs));
  const addedMs = median(rounds.routerWindows.map((w) => w.meanMs - w.brokerCallMs));
  return {
    routerMBps: median(rounds.router),
    brokersAloneMBps: median(rounds.direct),
    routerToBrokersAlone: ratio,
    throughputLoss: 1 - ratio,
    ratioOfTotals: sum(rounds.router) / sum(rounds.direct),
    errors: rounds.errors,
    requestMeanMsViaRouter: meanMs,
    brokerCallMeanMs: brokerCallMs,
    routerAddedMs: addedMs,
    routerShareOfRequestTime: addedMs / meanMs,
    ...cpuCost(rounds.cost),
  };
}

/**
 * Each round's ratio, for the result's params: rounds of one run differ by ±0.1 on this machine,
 * so the median alone hides how spread they were. The metrics also carry the ratio of the rounds'
 * totals (every round measures both paths for the same time, in alternating order).
 */
function roundsText(ratios: readonly number[]): string {
  return ratios.map((r) => r.toFixed(3)).join(' ');
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function option(argv: readonly string[], name: string, fallback: number): number {
  const i = argv.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(argv[i + 1]);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} needs a positive number`);
  return n;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const seconds = option(argv, '--seconds', 10);
  // Even by default: the alternating order then gives each path the same share of early and late windows.
  const rounds = option(argv, '--rounds', 4);
  const warmupSeconds = option(argv, '--warmup-seconds', 30);
  const separateCpus = argv.includes('--separate-cpus');
  // Both paths get the same number in flight. A path with more latency in front of the brokers
  // (the router hop) needs more in flight to keep them as busy, so a rate measured at too few is
  // the path's latency, not its throughput: --in-flight raises it for both.
  const inFlight = option(argv, '--in-flight', DEFAULT_IN_FLIGHT);
  const cluster = await startCluster();
  // --routers N: the router path's connections spread over N routers, not where Metadata sends a client (see the lanes).
  const routersOption = argv.includes('--routers') ? Math.max(1, Math.min(option(argv, '--routers', 1), cluster.kafkaPorts.length)) : undefined;
  // --separate-cpus: routers and this load generator on CPU 0, every other service on CPU 1, as
  // if the routers had nodes of their own (they scale independently in a deployment). Both paths
  // then give the brokers and replication nodes the same single CPU, so the ratio shows whether
  // the router limits throughput rather than how much CPU it takes from the servers.
  const placement = separateCpus ? separateRoutersFromServers({ clusterPid: cluster.pid, dataDir: cluster.dataDir, routerCpus: '0', serverCpus: '1' }) : undefined;
  if (placement) process.stderr.write(`pinned ${placement.routers} routers and the load generator to CPU 0, ${placement.servers} other processes to CPU 1\n`);

  const routerConn = await connectRouter(cluster);
  // A fresh cluster on a busy machine may briefly miss a replication node (its lease is late): retry.
  await waitFor(
    async () => {
      const created = await routerConn.call<CreateTopicsResponse>(
        19,
        5,
        { topics: [{ name: TOPIC, numPartitions: PARTITIONS, replicationFactor: -1, assignments: [], configs: [] }], timeoutMs: 30_000, validateOnly: false },
        REQUEST_TIMEOUT_MS,
      );
      const code = created.body.topics[0]?.errorCode ?? -1;
      if (code !== 0 && code !== 36) process.stderr.write(`CreateTopics error ${code}: ${created.body.topics[0]?.errorMessage ?? ''}; retrying\n`);
      return code === 0 || code === 36;
    },
    { timeoutMs: 180_000, intervalMs: 2000, description: 'the benchmark topic to be created' },
  );

  // The brokers-alone path: the router's own gRPC client over the same cluster view a router keeps.
  const metadata = createGrpcClient(metadataV1.MetadataServiceClient, cluster.metadataAddress);
  const found = await unaryCall(metadata, metadata.getTenant, { selector: { $case: 'name', value: cluster.tenant } }, { timeoutMs: 30_000 });
  const tenantId = found.tenant?.tenantId?.value;
  if (!tenantId) throw new Error(`tenant ${cluster.tenant} not found`);
  // The cell's default tenant quotas (10 MiB/s of produce, shared by the three routers) would cap
  // the router path at its quota share and measure the quota, not the router: lift them.
  await unaryCall(
    metadata,
    metadata.setQuotas,
    {
      tenantId: { value: tenantId },
      quotas: { produceBytesPerSecond: 1n << 40n, fetchBytesPerSecond: 1n << 40n, requestsPerSecond: 1_000_000n },
      expectedRevision: 0n,
      validateOnly: false,
    } as metadataV1.SetQuotasRequest,
    { timeoutMs: 30_000 },
  );
  const logger = createLogger({ service: 'bench-router-overhead', level: 'warn' });
  const view = watchClusterView(metadata, { logger, self: { nodeId: 'bench', host: '127.0.0.1', port: 0, availabilityZone: 'a' } });
  registerResource({ label: 'cluster view', cleanup: async () => view.close() });
  const connections = new BrokerConnections({ view, logger, grpc: { maxReceiveMessageBytes: 64 * MB, maxSendMessageBytes: 64 * MB } });
  registerResource({ label: 'broker connections', cleanup: async () => connections.close() });
  await waitFor(
    () => {
      const topic = view.topicByName(tenantId, TOPIC);
      return topic !== undefined && Array.from({ length: PARTITIONS }, (_, p) => view.partition(topic.topicId, p)?.leaderNodeId).every((l) => l !== undefined);
    },
    { timeoutMs: 120_000, intervalMs: 200, description: 'leaders for every partition' },
  );
  const topicId = view.topicByName(tenantId, TOPIC)?.topicId as Buffer;
  const direct: Send = async (partition, batch) => {
    const leader = view.partition(topicId, partition)?.leaderNodeId;
    if (!leader) return false;
    const response = await connections
      .produce(
        leader,
        {
          header: { correlationId: 0n, tenantId: { value: tenantId }, apiVersion: 9, clientId: 'bench', principal: cluster.username, clientAvailabilityZone: '', timeoutMs: 30_000, clientHost: '' },
          acks: -1,
          transactionalId: '',
          partitions: [{ partition: { topicId: { value: topicId }, partition }, records: batch }],
        } as brokerV1.ProduceRequest,
        REQUEST_TIMEOUT_MS,
      )
      .catch((error: unknown) => {
        countError(`direct: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
    if (!response) return false;
    const codes = [response.error?.code ?? 0, ...response.partitions.map((p) => p.error?.code ?? 0)].filter((c) => c !== 0);
    for (const code of codes) countError(`direct: Kafka error ${code}`);
    return codes.length === 0;
  };
  // Through the router: one connection per lane, one request in flight on each (a Kafka broker, and
  // so the router, answers a connection's requests one after another), so both paths keep the
  // same number of produces in flight. By default the lanes go where a Kafka client bootstrapped
  // at the first router goes: to the routers its Metadata names as the topic's partition leaders.
  // Those are the routers of the answering router's AZ (placement.ts), and the local cluster runs
  // one router per AZ, so that is one router. `--routers N` spreads the lanes over N routers
  // instead, standing for an AZ with N routers sharing the same load.
  const lanePorts = routersOption === undefined ? await leaderPorts(routerConn, TOPIC) : cluster.kafkaPorts.slice(0, routersOption);
  const lanes = await Promise.all(
    Array.from({ length: inFlight }, (_, i) => {
      const port = lanePorts[i % lanePorts.length] as number;
      return i === 0 && port === cluster.bootstrapPort ? routerConn : connectRouter(cluster, port);
    }),
  );
  if (!lanes.includes(routerConn)) routerConn.close();
  const viaRouter: Send = async (partition, batch, lane) => {
    const conn = lanes[lane] as RawClient;
    const response = await conn
      .call<ProduceResponse>(0, 9, { transactionalId: null, acks: -1, timeoutMs: 30_000, topicData: [{ name: TOPIC, partitionData: [{ index: partition, records: batch }] }] }, REQUEST_TIMEOUT_MS)
      .catch((error: unknown) => {
        countError(`router: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      });
    if (!response) return false;
    const codes = response.body.responses.flatMap((t) => t.partitionResponses.map((p) => p.errorCode)).filter((c) => c !== 0);
    for (const code of codes) countError(`router: Kafka error ${code}`);
    return codes.length === 0;
  };

  const batches = Array.from({ length: 64 }, () => buildBatch({ records: Array.from({ length: 16 }, () => ({ value: randomBytes(1024) })), baseTimestamp: BigInt(Date.now()) }));
  const services = clusterServices(cluster.dataDir);
  const routerAdmin = routerAdminUrls(services);
  const produce = await alternatingRounds({
    run: (path, secs) => drive(path === 'direct' ? direct : viaRouter, batches, { seconds: secs, inFlight }),
    seconds,
    rounds,
    warmupSeconds,
    services,
    routerAdmin,
    rpc: 'Produce',
    phase: '',
  });
  const produceMetrics = roundMetrics(produce);
  const ratio = produceMetrics.routerToBrokersAlone;
  const half = (produceMetrics.routerMBps * MB) / (batches[0] as Buffer).length / 2;
  const latency = await drive(viaRouter, batches, { seconds, inFlight, ratePerSec: half });
  const machine = machineInfo();
  const params = { partitions: PARTITIONS, inFlight, routers: lanePorts.length, routerLanes: routersOption === undefined ? 'metadata leaders' : 'spread by --routers', batchBytes: (batches[0] as Buffer).length, recordsPerBatch: 16, acks: 'all', seconds, rounds, warmupSeconds, loadAverages: produce.loads.map((l) => l.toFixed(1)).join(' '), cpuPlacement: placement ? 'routers and load generator on CPU 0, all other services on CPU 1' : 'shared: every process on every CPU' };
  const suffix = placement ? '-separate-cpus' : '';
  process.stdout.write(
    formatResult({
      name: `router-overhead-produce${suffix}`,
      unit: 'ratio',
      metrics: produceMetrics,
      params: { ...params, roundRatios: roundsText(produce.ratios) },
      target: { metric: 'routerToBrokersAlone', atLeast: 1 - TARGET_MAX_LOSS, met: ratio >= 1 - TARGET_MAX_LOSS },
      machine,
    }) + '\n',
  );
  process.stdout.write(
    formatResult({
      name: `router-produce-latency-at-half-load${suffix}`,
      unit: 'ms',
      metrics: { p50Ms: latency.p50, p99Ms: latency.p99, p999Ms: latency.p999, rateMBps: latency.mbps, errors: latency.errors },
      params: { ...params, load: '50% of the max rate through the router' },
      machine,
    }) + '\n',
  );

  // The fetch half: the same lanes read the topic just written, from offset 0 round and round.
  const FETCH_BYTES = 1024 * 1024;
  // The consumer sits in the zone of router-a, the router its lanes reach unless --routers spreads them.
  const readers = { maxBytes: FETCH_BYTES, timeoutMs: REQUEST_TIMEOUT_MS, clientZone: CONSUMER_ZONE, countError };
  const directRead = directReader({ ...readers, rpc: connections, leaderOf: (p) => view.partition(topicId, p)?.leaderNodeId, topicId, tenantId, principal: cluster.username });
  const routerRead = routerReader({ ...readers, lanes, topic: TOPIC });
  const reads = { partitions: PARTITIONS, lanes: inFlight, seconds };
  const fetch = await alternatingRounds({
    run: (path, secs) => driveReads(path === 'direct' ? directRead : routerRead, { ...reads, seconds: secs }),
    seconds,
    rounds,
    warmupSeconds,
    services,
    routerAdmin,
    rpc: 'Fetch',
    phase: 'fetch-',
  });
  const fetchMetrics = roundMetrics(fetch);
  const fetchRatio = fetchMetrics.routerToBrokersAlone;
  process.stdout.write(
    formatResult({
      name: `router-overhead-fetch${suffix}`,
      unit: 'ratio',
      metrics: fetchMetrics,
      params: { ...params, loadAverages: fetch.loads.map((l) => l.toFixed(1)).join(' '), roundRatios: roundsText(fetch.ratios), fetchMaxBytes: FETCH_BYTES, readers: inFlight, maxWaitMs: 0 },
      target: { metric: 'routerToBrokersAlone', atLeast: 1 - TARGET_MAX_LOSS, met: fetchRatio >= 1 - TARGET_MAX_LOSS },
      machine: machineInfo(),
    }) + '\n',
  );
  for (const [what, count] of errorCodes) process.stderr.write(`errors: ${count} × ${what}\n`);
  metadata.close();
  for (const conn of lanes) conn.close();
}

main()
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  })
  .finally(() => cleanupResources());
