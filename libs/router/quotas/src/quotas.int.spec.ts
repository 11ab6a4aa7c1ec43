// A real router listener with RouterQuotas and two kafkajs producers of two tenants: tenant A is
// over its produce quota and is throttled (throttle_time_ms > 0, muted connection) until its rate
// settles near the quota; tenant B, without a quota, is never throttled. The data path is a tiny
// fake Produce handler (this test is about the listener and the quotas, not about brokers).
import { ErrorCode } from '@stratus/kafka-errors';
import type { MetadataResponse, ProduceRequest, ProduceResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryCredentialSource, startKafkaListener, tenantId, type ApiHandler, type KafkaListener } from '@stratus/router-kafka-server';
import { Kafka, logLevel, type logCreator } from 'kafkajs';
import { RouterQuotas } from './router-quotas';
import type { TenantRateLimits } from './tenant-limits';

const TOPIC = 'quota-topic';
const QUOTA_A = 40_000;
const MESSAGE_BYTES = 4_000;
const RUN_MS = 8_000;

const logger = createLogger({ service: 'quotas-it', level: 'warn', destination: { write: () => undefined } });
const credentials = new InMemoryCredentialSource([
  { username: 'alice', password: 'alice-secret', tenantId: tenantId('tenant-a') },
  { username: 'bob', password: 'bob-secret', tenantId: tenantId('tenant-b') },
]);

/** Record bytes accepted per tenant, with the time they arrived. */
const accepted = new Map<string, Array<{ atMs: number; bytes: number }>>();

const metadata: ApiHandler = {
  apiKey: 3,
  name: 'Metadata',
  minVersion: 0,
  maxVersion: 12,
  async handle(ctx) {
    const response: MetadataResponse = {
      throttleTimeMs: 0,
      brokers: [{ nodeId: ctx.listener.nodeId, host: ctx.listener.host, port: ctx.listener.port, rack: null }],
      clusterId: ctx.listener.clusterId,
      controllerId: ctx.listener.nodeId,
      topics: [
        {
          errorCode: 0,
          name: TOPIC,
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: ctx.listener.nodeId, leaderEpoch: 0, replicaNodes: [ctx.listener.nodeId], isrNodes: [ctx.listener.nodeId], offlineReplicas: [] }],
          topicAuthorizedOperations: -2147483648,
        },
      ],
      clusterAuthorizedOperations: -2147483648,
    };
    return { response };
  },
};

const produce: ApiHandler = {
  apiKey: 0,
  name: 'Produce',
  minVersion: 3,
  maxVersion: 8,
  async handle(ctx, raw) {
    const request = raw as ProduceRequest;
    const tenant = ctx.sasl.principal?.tenantId ?? 'none';
    const list = accepted.get(tenant) ?? [];
    accepted.set(tenant, list);
    let offset = 0n;
    const response: ProduceResponse = {
      throttleTimeMs: 0,
      responses: request.topicData.map((t) => ({
        name: t.name ?? '',
        partitionResponses: t.partitionData.map((p) => {
          list.push({ atMs: Date.now(), bytes: p.records?.length ?? 0 });
          return { index: p.index, errorCode: ErrorCode.NONE, baseOffset: offset++, logAppendTimeMs: -1n, logStartOffset: 0n, recordErrors: [], errorMessage: null };
        }),
      })),
    };
    return { response };
  },
};

const limits: Record<string, TenantRateLimits> = { 'tenant-a': { produceBytesPerSecond: QUOTA_A } };
// A 1.2 s window (6 × 200 ms) instead of Kafka's 11 s keeps the test short.
const quotas = new RouterQuotas({ limitsFor: (t) => limits[t], liveRouters: () => 1, window: { samples: 6, sampleMs: 200 } });
let listener: KafkaListener;

beforeAll(async () => {
  listener = await startKafkaListener({ credentials, logger, handlers: [metadata, produce], quotas });
});
afterAll(async () => {
  await listener.close();
});

/** Produces sequentially for RUN_MS; returns the throttle times kafkajs read from the Produce responses. */
async function produceFor(user: string, password: string): Promise<number[]> {
  const throttles: number[] = [];
  // kafkajs logs each decoded response at debug level; the Produce ones carry throttleTime.
  const capture: logCreator = () => (entry) => {
    // From Produce v6 the broker's value is reported as clientSideThrottleTime (KIP-219).
    const data = entry.log['data'] as { throttleTime?: number; clientSideThrottleTime?: number } | undefined;
    const throttle = data?.clientSideThrottleTime ?? data?.throttleTime;
    if (String(entry.log.message).startsWith('Response Produce') && throttle !== undefined) throttles.push(throttle);
  };
  const kafka = new Kafka({
    clientId: `quotas-it-${user}`,
    brokers: [`127.0.0.1:${listener.port}`],
    sasl: { mechanism: 'plain', username: user, password },
    logLevel: logLevel.DEBUG,
    logCreator: capture,
    retry: { retries: 0 },
  });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const value = Buffer.alloc(MESSAGE_BYTES, 7);
  const start = Date.now();
  while (Date.now() - start < RUN_MS) {
    await producer.send({ topic: TOPIC, acks: -1, messages: [{ value }] });
  }
  await producer.disconnect();
  return throttles;
}

/** Bytes per second accepted for `tenant` between fromMs and toMs. */
function acceptedRate(tenant: string, fromMs: number, toMs: number): number {
  const bytes = (accepted.get(tenant) ?? []).filter((e) => e.atMs >= fromMs && e.atMs < toMs).reduce((sum, e) => sum + e.bytes, 0);
  return (bytes * 1000) / (toMs - fromMs);
}

it('throttles the tenant over its produce quota towards the quota while the other keeps its throughput', async () => {
  const start = Date.now();
  const [throttlesA, throttlesB] = await Promise.all([produceFor('alice', 'alice-secret'), produceFor('bob', 'bob-secret')]);
  const end = Date.now();

  expect(throttlesA.some((t) => t > 0)).toBe(true);
  expect(throttlesB.length).toBeGreaterThan(0);
  expect(throttlesB.every((t) => t === 0)).toBe(true);

  // After the first window the rate has settled: measure over the second half of the run.
  const from = start + RUN_MS / 2;
  const rateA = acceptedRate('tenant-a', from, end);
  expect(rateA).toBeGreaterThan(QUOTA_A * 0.4);
  expect(rateA).toBeLessThan(QUOTA_A * 1.8);
  // Unthrottled B is not held to A's quota (a generous bound, not a performance claim).
  expect(acceptedRate('tenant-b', from, end)).toBeGreaterThan(QUOTA_A * 3);
  expect(quotas.rates('tenant-a').produceBytes).toBeLessThan(QUOTA_A * 2);
});
