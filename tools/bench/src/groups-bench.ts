// Group coordinator benchmark (issue 7 "Performance"): the broker's CoordinatorRuntime served through
// its KafkaPassthrough handler with real encoded Kafka bodies, as the router sends them, over an
// in-memory offsets log (MemoryOffsetsLog; pass --append-latency-ms to add a fixed delay per append
// standing in for the acks=all write to the replication nodes, which bench-broker measures).
//   * rebalance time, 10 members / 100 partitions: classic (KIP-394 two-phase JoinGroup, the
//     leader's SyncGroup with a range assignment, every member's SyncGroup answered) and KIP-848
//     (ConsumerGroupHeartbeat loops until every member is stable at the group epoch, partitions
//     revoked before they move);
//   * OffsetCommit throughput (commits/s, one partition per request, N in flight) and latency.
// Usage: node -r @swc-node/register tools/bench/src/groups-bench.ts [--quick] [--append-latency-ms N]
import { brokerV1 } from '@stratus/contracts';
import { CoordinatorRuntime, MemoryOffsetsLog, passthroughHandler, type OffsetsLog, type PassthroughHandler } from '@stratus/broker-coordinator';
import { topicCatalog, topicId } from '@stratus/broker-groups';
import { ErrorCode } from '@stratus/kafka-errors';
import { API_REGISTRY } from '@stratus/kafka-messages';
import { build } from 'hdr-histogram-js';
import { formatResult, machineInfo } from './result';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const JOIN = 11;
const SYNC = 14;
const OFFSET_COMMIT = 8;
const CGH = 68;
const TENANT = 'bench';
const TOPIC = 'orders';
const TOPIC_ID = topicId('6f1d2c3b-0000-4000-8000-000000000100');

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const latencyArg = args.indexOf('--append-latency-ms');
const appendLatencyMs = latencyArg >= 0 ? Number(args[latencyArg + 1]) : 0;
const MEMBERS = 10;
const PARTITIONS = 100;
const REBALANCE_RUNS = quick ? 5 : 30;
const COMMIT_SECONDS = quick ? 2 : 10;
const COMMIT_CONCURRENCY = 16;

/** Delays every append, modelling the replicated write (reads stay immediate). */
function delayed(log: OffsetsLog, ms: number): OffsetsLog {
  if (ms <= 0) return log;
  return {
    append: async (records) => {
      await new Promise((r) => setTimeout(r, ms));
      return log.append(records);
    },
    read: (from, max) => log.read(from, max),
    startOffset: () => log.startOffset(),
    highWatermark: () => log.highWatermark(),
  };
}

class Client {
  private correlation = 0n;
  constructor(private readonly handle: PassthroughHandler) {}

  async call(apiKey: number, apiVersion: number, request: object): Promise<Json> {
    const codec = API_REGISTRY.get(apiKey);
    if (!codec) throw new Error(`no codec for API ${apiKey}`);
    const answer = await this.handle(
      brokerV1.KafkaPassthroughRequest.fromPartial({
        header: { correlationId: ++this.correlation, tenantId: { value: TENANT }, apiVersion, clientId: 'bench', clientHost: '/127.0.0.1' },
        apiKey,
        apiVersion,
        request: codec.request.encode(request, apiVersion),
      }),
    );
    if (answer.error && answer.error.code !== ErrorCode.NONE) throw new Error(`passthrough error ${answer.error.code}: ${answer.error.message}`);
    return codec.response.decode(answer.response, apiVersion) as Json;
  }
}

async function newClient(): Promise<Client> {
  const runtime = new CoordinatorRuntime({
    partitionCount: 1,
    topics: () => topicCatalog([{ id: TOPIC_ID, name: TOPIC, partitions: PARTITIONS }]),
    config: { initialRebalanceDelayMs: 0 },
  });
  const served = await runtime.becomeLeader(0, delayed(new MemoryOffsetsLog(), appendLatencyMs));
  if (!served.ok) throw new Error(`the coordinator did not load: ${JSON.stringify(served)}`);
  return new Client(passthroughHandler(runtime));
}

/** ConsumerProtocol-sized opaque bytes: the coordinator never parses a classic assignment. */
const rangeAssignment = (index: number): Buffer => {
  const per = PARTITIONS / MEMBERS;
  const parts = Array.from({ length: per }, (_, k) => index * per + k);
  const b = Buffer.alloc(2 + 4 + 2 + TOPIC.length + 4 + 4 * parts.length + 4);
  let o = b.writeInt16BE(0, 0);
  o = b.writeInt32BE(1, o);
  o = b.writeInt16BE(TOPIC.length, o);
  o += b.write(TOPIC, o);
  o = b.writeInt32BE(parts.length, o);
  for (const p of parts) o = b.writeInt32BE(p, o);
  b.writeInt32BE(-1, o);
  return b;
};

/** 10 members join an empty classic group at once; resolves with ms until every SyncGroup answered. */
async function classicRebalance(client: Client, group: string): Promise<number> {
  const join = (memberId: string): Promise<Json> =>
    client.call(JOIN, 9, {
      groupId: `${TENANT}/${group}`,
      sessionTimeoutMs: 45_000,
      rebalanceTimeoutMs: 60_000,
      memberId,
      groupInstanceId: null,
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from(`subscription:${TOPIC}`) }],
      reason: null,
    });
  const t0 = performance.now();
  const first = await Promise.all(Array.from({ length: MEMBERS }, () => join('')));
  const ids = first.map((r) => {
    if (r['errorCode'] !== ErrorCode.MEMBER_ID_REQUIRED) throw new Error(`first JoinGroup: error ${String(r['errorCode'])}`);
    return r['memberId'] as string;
  });
  const joined = await Promise.all(ids.map((id) => join(id)));
  const leader = joined.find((r) => r['leader'] === r['memberId']);
  if (!leader) throw new Error(`no leader in the JoinGroup answers: ${JSON.stringify(joined.map((r) => r['errorCode']))}`);
  const generationId = leader['generationId'] as number;
  const sync = (memberId: string, assignments: { memberId: string; assignment: Buffer }[]): Promise<Json> =>
    client.call(SYNC, 5, { groupId: `${TENANT}/${group}`, generationId, memberId, groupInstanceId: null, protocolType: 'consumer', protocolName: 'range', assignments });
  const leaderAssignments = (leader['members'] as Json[]).map((m, i) => ({ memberId: m['memberId'] as string, assignment: rangeAssignment(i) }));
  const synced = await Promise.all(ids.map((id) => sync(id, id === leader['memberId'] ? leaderAssignments : [])));
  const failed = synced.find((s) => s['errorCode'] !== ErrorCode.NONE);
  if (failed) throw new Error(`SyncGroup: error ${String(failed['errorCode'])}`);
  return performance.now() - t0;
}

/** 10 KIP-848 members join at once and heartbeat (without pause) until all are stable at the group epoch. */
async function consumerRebalance(client: Client, group: string): Promise<{ ms: number; heartbeats: number }> {
  const members = Array.from({ length: MEMBERS }, (_, i) => ({ id: `${group}-m${i}`, epoch: 0, owned: [] as number[], reported: '', quiet: false }));
  let heartbeats = 0;
  const beat = async (m: (typeof members)[number]): Promise<void> => {
    heartbeats++;
    const r = await client.call(CGH, 1, {
      groupId: `${TENANT}/${group}`,
      memberId: m.id,
      memberEpoch: m.epoch,
      instanceId: null,
      rackId: null,
      rebalanceTimeoutMs: 60_000,
      subscribedTopicNames: m.epoch === 0 ? [TOPIC] : null,
      subscribedTopicRegex: null,
      serverAssignor: null,
      // Like the Java client: owned partitions are reported only when they changed (null = unchanged).
      topicPartitions: m.epoch === 0 ? [] : m.reported === m.owned.join(',') ? null : [{ topicId: TOPIC_ID, partitions: m.owned }],
    });
    if (m.epoch !== 0) m.reported = m.owned.join(',');
    if (r['errorCode'] !== ErrorCode.NONE) throw new Error(`ConsumerGroupHeartbeat: error ${String(r['errorCode'])}`);
    const assigned = r['assignment'] as Json | null;
    // A client adopts a new assignment at once: it revokes what was taken away and owns what it got.
    if (assigned) m.owned = ((assigned['topicPartitions'] as Json[])[0]?.['partitions'] as number[] | undefined) ?? [];
    m.quiet = (r['memberEpoch'] as number) === m.epoch && assigned === null;
    m.epoch = r['memberEpoch'] as number;
  };
  const t0 = performance.now();
  await Promise.all(members.map((m) => beat(m)));
  // Converged: every member quiet at one epoch, and together they own all partitions exactly once.
  const converged = (): boolean => {
    const owned = members.flatMap((m) => m.owned);
    return members.every((m) => m.quiet && m.epoch === members[0]?.epoch) && owned.length === PARTITIONS && new Set(owned).size === PARTITIONS;
  };
  for (let round = 0; round < 100 && !converged(); round++) await Promise.all(members.map((m) => beat(m)));
  const ms = performance.now() - t0;
  if (!converged()) throw new Error(`KIP-848 group did not converge in 100 heartbeat rounds: ${members.flatMap((m) => m.owned).length} partitions owned`);
  return { ms, heartbeats };
}

function summary(samples: readonly number[]): Record<string, number> {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50Ms: round(at(0.5)), p99Ms: round(at(0.99)), minMs: round(sorted[0] ?? 0), maxMs: round(sorted.at(-1) ?? 0) };
}
const round = (n: number): number => Math.round(n * 1000) / 1000;

async function commitThroughput(client: Client): Promise<Record<string, number>> {
  const histogram = build({ lowestDiscernibleValue: 1, highestTrackableValue: 60_000_000, numberOfSignificantValueDigits: 3 });
  let commits = 0;
  let errors = 0;
  const end = performance.now() + COMMIT_SECONDS * 1000;
  const worker = async (w: number): Promise<void> => {
    for (let i = 0; performance.now() < end; i++) {
      const t = performance.now();
      const r = await client.call(OFFSET_COMMIT, 8, {
        groupId: `${TENANT}/committers`,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        retentionTimeMs: -1n,
        topics: [{ name: TOPIC, partitions: [{ partitionIndex: w % PARTITIONS, committedOffset: BigInt(i), committedLeaderEpoch: -1, committedMetadata: null }] }],
      });
      histogram.recordValue(Math.max(1, Math.round((performance.now() - t) * 1000)));
      if ((r['topics'] as Json[])[0]?.['partitions'][0]?.['errorCode'] === ErrorCode.NONE) commits++;
      else errors++;
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: COMMIT_CONCURRENCY }, (_, w) => worker(w)));
  const seconds = (performance.now() - t0) / 1000;
  return {
    commitsPerSec: Math.round(commits / seconds),
    errors,
    p50Ms: histogram.getValueAtPercentile(50) / 1000,
    p99Ms: histogram.getValueAtPercentile(99) / 1000,
    p999Ms: histogram.getValueAtPercentile(99.9) / 1000,
  };
}

async function main(): Promise<void> {
  const client = await newClient();
  const params = { members: MEMBERS, partitions: PARTITIONS, runs: REBALANCE_RUNS, appendLatencyMs, path: 'KafkaPassthrough handler → CoordinatorRuntime → MemoryOffsetsLog' };
  // Warm-up: JIT the paths once before timing.
  await classicRebalance(client, 'warm-classic');
  await consumerRebalance(client, 'warm-consumer');

  const classic: number[] = [];
  for (let i = 0; i < REBALANCE_RUNS; i++) classic.push(await classicRebalance(client, `classic-${i}`));
  console.log(formatResult({ name: 'groups-rebalance-classic', unit: 'ms', metrics: summary(classic), params, machine: machineInfo() }));

  const consumer: number[] = [];
  let heartbeats = 0;
  for (let i = 0; i < REBALANCE_RUNS; i++) {
    const r = await consumerRebalance(client, `consumer-${i}`);
    consumer.push(r.ms);
    heartbeats += r.heartbeats;
  }
  console.log(formatResult({ name: 'groups-rebalance-kip848', unit: 'ms', metrics: { ...summary(consumer), heartbeatsPerRebalance: round(heartbeats / REBALANCE_RUNS) }, params, machine: machineInfo() }));

  const commits = await commitThroughput(client);
  console.log(formatResult({ name: 'groups-offset-commit', unit: 'commits/s', metrics: commits, params: { concurrency: COMMIT_CONCURRENCY, seconds: COMMIT_SECONDS, partitionsPerCommit: 1, appendLatencyMs, apiVersion: 8 }, machine: machineInfo() }));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
