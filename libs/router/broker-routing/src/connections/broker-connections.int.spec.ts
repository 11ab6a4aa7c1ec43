// BrokerConnections against real gRPC servers (in-process fake brokers on free ports).
import { status, type Server, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { bindGrpcServer, createGrpcServer, kafkaErrorToGrpcError } from '@stratus/platform-grpc';
import { createMetrics, type Metrics } from '@stratus/platform-metrics';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { FakeBrokerCluster } from '../testing/fake-broker.testkit';
import { startFakeBrokerServer, type FakeBrokerServer } from '../testing/fake-broker-server.testkit';
import { buildBatch, logger, ROUTER_SELF } from '../testing/harness.testkit';
import { BrokerConnections } from './broker-connections';
import { BrokerUnavailableError } from './broker-errors';

const topicId = Buffer.alloc(16, 7);
const produceTo = (partition: number, value: string) =>
  brokerV1.ProduceRequest.fromPartial({
    header: { tenantId: { value: 't' }, timeoutMs: 5000 },
    acks: -1,
    partitions: [{ partition: { topicId: { value: topicId }, partition }, records: buildBatch({ records: [{ value: Buffer.from(value) }] }) }],
  });

let cluster: FakeBrokerCluster;
let servers: FakeBrokerServer[];
let view: InMemoryClusterView;
let connections: BrokerConnections;
let metrics: Metrics;

beforeEach(async () => {
  cluster = new FakeBrokerCluster();
  servers = [await startFakeBrokerServer(cluster, 'b1'), await startFakeBrokerServer(cluster, 'b2')];
  view = new InMemoryClusterView({ self: ROUTER_SELF, brokers: servers.map((s) => ({ nodeId: s.nodeId, grpcAddress: s.address, availabilityZone: 'az-a' })) });
  cluster.leadAll(topicId, 4, (p) => (p % 2 === 0 ? 'b1' : 'b2'));
  metrics = createMetrics({ service: 'router-test', processMetrics: false });
  connections = new BrokerConnections({ view, logger, pruneIntervalMs: 0, metrics });
});

afterEach(async () => {
  connections.close();
  cluster.close();
  await Promise.all(servers.map((s) => s.close()));
});

describe('BrokerConnections over gRPC', () => {
  it('multiplexes concurrent produce requests on one stream per broker and matches answers by correlation id', async () => {
    const answers = await Promise.all(Array.from({ length: 20 }, (_, i) => connections.produce(i % 2 === 0 ? 'b1' : 'b2', produceTo(i % 4, `v${i}`), 5000)));
    // Each partition's offsets 0..4 were handed out, each exactly once.
    const offsets = new Map<number, bigint[]>();
    for (const a of answers) {
      const p = a.partitions[0];
      expect(p?.error).toBeUndefined();
      offsets.set(p?.partition?.partition ?? -1, [...(offsets.get(p?.partition?.partition ?? -1) ?? []), p?.baseOffset ?? -1n]);
    }
    for (const list of offsets.values()) expect(list.sort()).toEqual([0n, 1n, 2n, 3n, 4n]);
    expect(servers.map((s) => s.streamsOpened.produce)).toEqual([1, 1]);
    // Correlation ids are chosen per stream: each broker saw ten distinct ones.
    for (const node of ['b1', 'b2']) {
      const ids = cluster.received.filter((r) => r.nodeId === node).map((r) => (r.request as brokerV1.ProduceRequest).header?.correlationId);
      expect(new Set(ids).size).toBe(10);
    }
  });

  it('serves a long-poll fetch without holding up produce on the other stream', async () => {
    const poll = connections.fetch(
      'b1',
      brokerV1.FetchRequest.fromPartial({ header: { timeoutMs: 5000 }, maxWaitMs: 5000, minBytes: 1, maxBytes: 1 << 20, partitions: [{ partition: { topicId: { value: topicId }, partition: 0 }, fetchOffset: 0n, partitionMaxBytes: 1 << 20 }] }),
      6000,
    );
    const produced = await connections.produce('b1', produceTo(0, 'wake'), 5000);
    expect(produced.partitions[0]?.baseOffset).toBe(0n);
    const fetched = await poll;
    expect(fetched.partitions[0]?.highWatermark).toBe(1n);
    expect(fetched.partitions[0]?.records.length).toBeGreaterThan(0);
  });

  it('fails in-flight requests retriably when the stream breaks, then re-opens it for the next request', async () => {
    const b1 = servers[0] as FakeBrokerServer;
    b1.holdProduce = true;
    const inFlight = connections.produce('b1', produceTo(0, 'lost'), 5000);
    await waitFor(() => b1.heldProduce.length === 1);
    b1.holdProduce = false;
    b1.breakStreams();
    const error = await inFlight.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect(error).toMatchObject({ kind: 'stream-failed', retriable: true, kafkaCode: ErrorCode.NOT_LEADER_OR_FOLLOWER });
    const again = await connections.produce('b1', produceTo(0, 'kept'), 5000);
    expect(again.partitions[0]?.error).toBeUndefined();
    expect(b1.streamsOpened.produce).toBe(2);
    const text = await metrics.render();
    expect(text).toMatch(/stratus_router_broker_stream_failures_total\{rpc="Produce"\} 1/);
    expect(text).toMatch(/stratus_router_broker_call_seconds_count\{rpc="Produce",outcome="stream-failed"\} 1/);
    expect(text).toMatch(/stratus_router_broker_call_seconds_count\{rpc="Produce",outcome="ok"\} 1/);
  });

  it('times out a request the broker never answers with a deadline error', async () => {
    (servers[0] as FakeBrokerServer).holdProduce = true;
    await expect(connections.produce('b1', produceTo(0, 'x'), 100)).rejects.toMatchObject({ kind: 'deadline', kafkaCode: ErrorCode.REQUEST_TIMED_OUT });
  });

  it('calls unary RPCs with a deadline and maps gRPC failures to Kafka codes', async () => {
    const offsets = await connections.listOffsets('b2', brokerV1.ListOffsetsRequest.fromPartial({ partitions: [{ partition: { topicId: { value: topicId }, partition: 1 }, timestamp: -1n }] }), 2000);
    expect(offsets.partitions[0]?.offset).toBe(0n);
    const stopped = servers[1] as FakeBrokerServer;
    await stopped.close();
    const error = await connections.listOffsets('b2', brokerV1.ListOffsetsRequest.fromPartial({}), 2000).catch((e: unknown) => e);
    expect(error).toMatchObject({ retriable: true });
    expect([ErrorCode.NOT_LEADER_OR_FOLLOWER, ErrorCode.REQUEST_TIMED_OUT]).toContain((error as BrokerUnavailableError).kafkaCode);
  });

  it('refuses brokers not in the view and drops channels of brokers that left it', async () => {
    await expect(connections.produce('nobody', produceTo(0, 'x'), 1000)).rejects.toMatchObject({ kind: 'unknown-broker', retriable: true });
    await connections.produce('b1', produceTo(0, 'x'), 5000);
    await connections.produce('b2', produceTo(1, 'x'), 5000);
    expect([...connections.connectedBrokers].sort()).toEqual(['b1', 'b2']);
    view.removeBroker('b2');
    connections.prune();
    expect(connections.connectedBrokers).toEqual(['b1']);
    await expect(connections.produce('b2', produceTo(1, 'x'), 1000)).rejects.toMatchObject({ kind: 'unknown-broker' });
  });
});

describe('BrokerConnections unary calls against a broker that stalls or refuses', () => {
  let server: Server;
  const held: Array<sendUnaryData<brokerV1.ListOffsetsResponse>> = [];
  const heldPassthrough: Array<sendUnaryData<brokerV1.KafkaPassthroughResponse>> = [];
  /** Milliseconds from receipt to the deadline the broker saw, per KafkaPassthrough call. */
  const passthroughDeadlinesMs: number[] = [];

  beforeEach(async () => {
    passthroughDeadlinesMs.length = 0;
    server = createGrpcServer();
    server.addService(brokerV1.BrokerServiceService, {
      // Answers with the request bytes reversed; api key 99 is never answered.
      kafkaPassthrough(call: ServerUnaryCall<brokerV1.KafkaPassthroughRequest, brokerV1.KafkaPassthroughResponse>, callback: sendUnaryData<brokerV1.KafkaPassthroughResponse>) {
        const deadline = call.getDeadline();
        passthroughDeadlinesMs.push((deadline instanceof Date ? deadline.getTime() : deadline) - Date.now());
        if (call.request.apiKey === 99) heldPassthrough.push(callback);
        else callback(null, { response: Buffer.from(call.request.request).reverse(), error: undefined });
      },
      // Never answers: only the router's deadline can end the call.
      listOffsets(_call: ServerUnaryCall<brokerV1.ListOffsetsRequest, brokerV1.ListOffsetsResponse>, callback: sendUnaryData<brokerV1.ListOffsetsResponse>) {
        held.push(callback);
      },
      // Refuses with an exact Kafka code in the trailer, as the real broker does.
      deleteRecords(_call: ServerUnaryCall<brokerV1.DeleteRecordsRequest, brokerV1.DeleteRecordsResponse>, callback: sendUnaryData<brokerV1.DeleteRecordsResponse>) {
        callback(kafkaErrorToGrpcError(ErrorCode.POLICY_VIOLATION, 'refused'));
      },
    });
    const port = await bindGrpcServer(server, '127.0.0.1', 0);
    view.setBroker({ nodeId: 'b3', grpcAddress: `127.0.0.1:${port}`, availabilityZone: 'az-a' });
  });

  afterEach(() => {
    for (const callback of held.splice(0)) callback({ code: status.CANCELLED, details: 'test over' });
    for (const callback of heldPassthrough.splice(0)) callback({ code: status.CANCELLED, details: 'test over' });
    server.forceShutdown();
  });

  const passthrough = (apiKey: number, bytes: number[]): brokerV1.KafkaPassthroughRequest => ({ header: undefined, apiKey, apiVersion: 4, request: Buffer.from(bytes) });

  it("forwards KafkaPassthrough on the broker's channel with the caller's deadline and returns the answer", async () => {
    const answer = await connections.kafkaPassthrough('b3', passthrough(10, [1, 2, 3]), 30_000);
    expect(Buffer.from(answer.response)).toEqual(Buffer.from([3, 2, 1]));
    expect(passthroughDeadlinesMs).toHaveLength(1);
    expect(passthroughDeadlinesMs[0]).toBeGreaterThan(0);
    expect(passthroughDeadlinesMs[0]).toBeLessThanOrEqual(30_000);
    // The same channel as the data path: one per broker.
    expect(connections.connectedBrokers).toContain('b3');
    expect(await metrics.render()).toMatch(/stratus_router_broker_call_seconds_count\{rpc="KafkaPassthrough",outcome="ok"\} 1/);
  });

  it('ends a KafkaPassthrough the broker never answers at its deadline', async () => {
    await expect(connections.kafkaPassthrough('b3', passthrough(99, [9]), 200)).rejects.toMatchObject({ kind: 'deadline', nodeId: 'b3', kafkaCode: ErrorCode.REQUEST_TIMED_OUT });
  });

  it('refuses a KafkaPassthrough to a broker the view does not know, sending nothing', async () => {
    await expect(connections.kafkaPassthrough('b9', passthrough(10, [1]), 30_000)).rejects.toMatchObject({ kind: 'unknown-broker', nodeId: 'b9' });
    expect(passthroughDeadlinesMs).toEqual([]);
  });

  it('ends a unary call the broker never answers at its deadline, as a retriable REQUEST_TIMED_OUT counted as deadline', async () => {
    const error = await connections.listOffsets('b3', brokerV1.ListOffsetsRequest.fromPartial({}), 200).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect(error).toMatchObject({ kind: 'deadline', nodeId: 'b3', kafkaCode: ErrorCode.REQUEST_TIMED_OUT, retriable: true });
    expect(await metrics.render()).toMatch(/stratus_router_broker_call_seconds_count\{[^}]*rpc="ListOffsets"[^}]*outcome="deadline"[^}]*\} 1/);
  });

  it("keeps the broker's exact Kafka code from the trailer of a refused unary call", async () => {
    const error = await connections.deleteRecords('b3', brokerV1.DeleteRecordsRequest.fromPartial({}), 5000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokerUnavailableError);
    expect(error).toMatchObject({ kind: 'call-failed', nodeId: 'b3', kafkaCode: ErrorCode.POLICY_VIOLATION });
    expect((error as Error).message).toMatch(/DeleteRecords failed: .*refused/);
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !condition(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!condition()) throw new Error('condition not reached');
}
