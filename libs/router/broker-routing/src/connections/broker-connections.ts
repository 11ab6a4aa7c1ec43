// One gRPC channel per broker node, with one long-lived Produce and one Fetch stream on it
// (broker_service.proto) and unary calls for the other data-path APIs and KafkaPassthrough.
// Addresses come from the ClusterView; a broker that left the view, or moved to another address,
// has its channel dropped.
import { status, type ServiceError } from '@grpc/grpc-js';
import { brokerV1 } from '@stratus/contracts';
import { createGrpcClient, grpcErrorToKafkaError, unaryCall, type GrpcClientOptions, type UnaryMethod } from '@stratus/platform-grpc';
import type { Logger } from '@stratus/platform-logging';
import type { Metrics } from '@stratus/platform-metrics';
import type { ClusterView } from '@stratus/router-cluster-view';
import { createBrokerCallMetrics, type BrokerCallMetrics } from '../routing/routing-metrics';
import { BrokerUnavailableError, isBrokerUnavailable } from './broker-errors';
import { MultiplexedStream } from './multiplexed-stream';

type ProduceRequest = brokerV1.ProduceRequest;
type ProduceResponse = brokerV1.ProduceResponse;
type FetchRequest = brokerV1.FetchRequest;
type FetchResponse = brokerV1.FetchResponse;

/**
 * What the Kafka handlers need from brokers. BrokerConnections implements it over gRPC; unit tests
 * implement it in memory. Streamed requests get their correlation id assigned here, so callers
 * pass a header without one.
 */
export interface BrokerRpc {
  produce(nodeId: string, request: ProduceRequest, timeoutMs: number): Promise<ProduceResponse>;
  fetch(nodeId: string, request: FetchRequest, timeoutMs: number): Promise<FetchResponse>;
  listOffsets(nodeId: string, request: brokerV1.ListOffsetsRequest, timeoutMs: number): Promise<brokerV1.ListOffsetsResponse>;
  offsetForLeaderEpoch(
    nodeId: string,
    request: brokerV1.OffsetForLeaderEpochRequest,
    timeoutMs: number,
  ): Promise<brokerV1.OffsetForLeaderEpochResponse>;
  deleteRecords(nodeId: string, request: brokerV1.DeleteRecordsRequest, timeoutMs: number): Promise<brokerV1.DeleteRecordsResponse>;
  initProducerId(nodeId: string, request: brokerV1.InitProducerIdRequest, timeoutMs: number): Promise<brokerV1.InitProducerIdResponse>;
  describeProducers(nodeId: string, request: brokerV1.DescribeProducersRequest, timeoutMs: number): Promise<brokerV1.DescribeProducersResponse>;
}

export interface BrokerConnectionsOptions {
  readonly view: ClusterView;
  readonly logger: Logger;
  readonly grpc?: GrpcClientOptions;
  /** How often channels of brokers that left the view are dropped; default 30 s, 0 disables. */
  readonly pruneIntervalMs?: number;
  readonly metrics?: Metrics;
}

interface BrokerChannel {
  readonly nodeId: string;
  readonly address: string;
  readonly client: brokerV1.BrokerServiceClient;
  readonly produce: MultiplexedStream<ProduceRequest, ProduceResponse>;
  readonly fetch: MultiplexedStream<FetchRequest, FetchResponse>;
}

export class BrokerConnections implements BrokerRpc {
  private readonly channels = new Map<string, BrokerChannel>();
  private readonly pruneTimer: NodeJS.Timeout | undefined;
  private readonly metrics: BrokerCallMetrics | undefined;
  private closed = false;

  constructor(private readonly options: BrokerConnectionsOptions) {
    this.metrics = options.metrics ? createBrokerCallMetrics(options.metrics) : undefined;
    const interval = options.pruneIntervalMs ?? 30_000;
    if (interval > 0) {
      this.pruneTimer = setInterval(() => this.prune(), interval);
      this.pruneTimer.unref();
    }
  }

  /** Node ids with an open channel (for tests and diagnostics). */
  get connectedBrokers(): readonly string[] {
    return [...this.channels.keys()];
  }

  produce(nodeId: string, request: ProduceRequest, timeoutMs: number): Promise<ProduceResponse> {
    return this.withChannel(nodeId, 'Produce', (channel) =>
      channel.produce.call((correlationId) => ({ ...request, header: withCorrelation(request.header, correlationId) }), timeoutMs),
    );
  }

  fetch(nodeId: string, request: FetchRequest, timeoutMs: number): Promise<FetchResponse> {
    return this.withChannel(nodeId, 'Fetch', (channel) =>
      channel.fetch.call((correlationId) => ({ ...request, header: withCorrelation(request.header, correlationId) }), timeoutMs),
    );
  }

  listOffsets(nodeId: string, request: brokerV1.ListOffsetsRequest, timeoutMs: number): Promise<brokerV1.ListOffsetsResponse> {
    return this.unary(nodeId, 'ListOffsets', (client) => client.listOffsets, request, timeoutMs);
  }

  offsetForLeaderEpoch(
    nodeId: string,
    request: brokerV1.OffsetForLeaderEpochRequest,
    timeoutMs: number,
  ): Promise<brokerV1.OffsetForLeaderEpochResponse> {
    return this.unary(nodeId, 'OffsetForLeaderEpoch', (client) => client.offsetForLeaderEpoch, request, timeoutMs);
  }

  deleteRecords(nodeId: string, request: brokerV1.DeleteRecordsRequest, timeoutMs: number): Promise<brokerV1.DeleteRecordsResponse> {
    return this.unary(nodeId, 'DeleteRecords', (client) => client.deleteRecords, request, timeoutMs);
  }

  describeProducers(nodeId: string, request: brokerV1.DescribeProducersRequest, timeoutMs: number): Promise<brokerV1.DescribeProducersResponse> {
    return this.unary(nodeId, 'DescribeProducers', (client) => client.describeProducers, request, timeoutMs);
  }

  initProducerId(nodeId: string, request: brokerV1.InitProducerIdRequest, timeoutMs: number): Promise<brokerV1.InitProducerIdResponse> {
    return this.unary(nodeId, 'InitProducerId', (client) => client.initProducerId, request, timeoutMs);
  }

  /**
   * A group or coordinator request forwarded as Kafka bytes (KafkaPassthrough) on the broker's
   * channel: BrokerConnections is the group handlers' PassthroughRpc (@stratus/router-group-routing),
   * so a router holds one channel per broker for every API.
   */
  kafkaPassthrough(nodeId: string, request: brokerV1.KafkaPassthroughRequest, timeoutMs: number): Promise<brokerV1.KafkaPassthroughResponse> {
    return this.unary(nodeId, 'KafkaPassthrough', (client) => client.kafkaPassthrough, request, timeoutMs);
  }

  /** Drops channels of brokers no longer in the view (or now at another address). */
  prune(): void {
    for (const channel of [...this.channels.values()]) {
      const endpoint = this.options.view.broker(channel.nodeId);
      if (endpoint?.grpcAddress !== channel.address) this.drop(channel, endpoint ? 'address changed' : 'left the cluster');
    }
  }

  /** Closes every channel; in-flight calls fail with kind 'closed'. */
  close(): void {
    this.closed = true;
    if (this.pruneTimer) clearInterval(this.pruneTimer);
    for (const channel of [...this.channels.values()]) this.drop(channel, 'router shutting down');
  }

  private withChannel<T>(nodeId: string, rpc: string, use: (channel: BrokerChannel) => Promise<T>): Promise<T> {
    const channel = this.channelFor(nodeId);
    const calls = this.metrics?.calls;
    const started = calls ? performance.now() : 0;
    const done = (outcome: string): void => calls?.observe({ rpc, outcome }, (performance.now() - started) / 1000);
    if (channel instanceof BrokerUnavailableError) {
      done(channel.kind);
      return Promise.reject(channel);
    }
    return use(channel).then(
      (response) => {
        done('ok');
        return response;
      },
      (error: unknown) => {
        done(isBrokerUnavailable(error) ? error.kind : 'error');
        throw error;
      },
    );
  }

  /** A unary call on the node's channel; every failure is a BrokerUnavailableError carrying the Kafka code for it. */
  private unary<Req, Res>(
    nodeId: string,
    rpc: string,
    method: (client: brokerV1.BrokerServiceClient) => UnaryMethod<Req, Res>,
    request: Req,
    timeoutMs: number,
  ): Promise<Res> {
    return this.withChannel(nodeId, rpc, (channel) =>
      // At least 1 ms: a budget already spent still gets a deadline and fails as DEADLINE_EXCEEDED.
      unaryCall(channel.client, method(channel.client), request, { timeoutMs: Math.max(1, timeoutMs) }).catch((error: unknown) => {
        throw unaryFailure(error, nodeId, rpc);
      }),
    );
  }

  private channelFor(nodeId: string): BrokerChannel | BrokerUnavailableError {
    if (this.closed) return new BrokerUnavailableError('closed', nodeId, 'connections closed');
    const endpoint = this.options.view.broker(nodeId);
    const existing = this.channels.get(nodeId);
    if (!endpoint) {
      if (existing) this.drop(existing, 'left the cluster');
      return new BrokerUnavailableError('unknown-broker', nodeId, 'not in the cluster view');
    }
    if (existing && existing.address === endpoint.grpcAddress) return existing;
    if (existing) this.drop(existing, 'address changed');
    const channel = this.open(nodeId, endpoint.grpcAddress);
    this.channels.set(nodeId, channel);
    return channel;
  }

  private open(nodeId: string, address: string): BrokerChannel {
    // grpc-js retries off on the data path: the handlers already retry a failed broker call
    // across leadership moves inside the Kafka request's own deadline (route-by-leader.ts), while
    // grpc-js's retry layer (its RetryingCall, which tracks and buffers the messages written until
    // a call commits) sits under every message of the long-lived Produce and Fetch streams: a cost
    // per message for retries the router never wants.
    const grpc = this.options.grpc ?? {};
    const client = createGrpcClient(brokerV1.BrokerServiceClient, address, {
      ...grpc,
      channelOptions: { 'grpc.enable_retries': 0, ...grpc.channelOptions },
    });
    const logger = this.options.logger.child({ broker: nodeId, address });
    const onFailure = (rpc: string) => (error: Error, failed: number) => {
      this.metrics?.streamFailures.inc({ rpc });
      if (failed > 0) logger.warn({ err: error, failedRequests: failed, rpc }, 'broker stream failed; in-flight requests will be retried');
      else logger.debug({ err: error, rpc }, 'idle broker stream ended');
    };
    logger.info('opening broker channel');
    return {
      nodeId,
      address,
      client,
      produce: new MultiplexedStream({
        nodeId,
        rpc: 'Produce',
        open: () => client.produce(),
        correlationIdOf: (r) => r.correlationId,
        onFailure: onFailure('Produce'),
      }),
      fetch: new MultiplexedStream({
        nodeId,
        rpc: 'Fetch',
        open: () => client.fetch(),
        correlationIdOf: (r) => r.correlationId,
        onFailure: onFailure('Fetch'),
      }),
    };
  }

  private drop(channel: BrokerChannel, reason: string): void {
    if (this.channels.get(channel.nodeId) === channel) this.channels.delete(channel.nodeId);
    this.options.logger.info({ broker: channel.nodeId, address: channel.address, reason }, 'dropping broker channel');
    const retriable = !this.closed;
    channel.produce.close({ retriable });
    channel.fetch.close({ retriable });
    channel.client.close();
  }
}

function withCorrelation(header: brokerV1.RequestHeader | undefined, correlationId: bigint): brokerV1.RequestHeader {
  // A complete header is copied as it is (brokerHeader builds every field); fromPartial only fills in a missing one.
  return header ? { ...header, correlationId } : brokerV1.RequestHeader.fromPartial({ correlationId });
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';
}

/**
 * A failed unary call as the handlers see it: the broker's status (or its exact Kafka code in the
 * trailer) says what the client gets; a passed deadline is kind 'deadline'. Anything that is not a
 * gRPC status (e.g. a timeout that is not a number) still fails only this call, as 'call-failed'.
 */
function unaryFailure(error: unknown, nodeId: string, rpc: string): BrokerUnavailableError {
  if (!isServiceError(error)) return new BrokerUnavailableError('call-failed', nodeId, `${rpc} failed: ${error instanceof Error ? error.message : String(error)}`);
  const kind = error.code === status.DEADLINE_EXCEEDED ? 'deadline' : 'call-failed';
  return new BrokerUnavailableError(kind, nodeId, `${rpc} failed: ${error.details || error.message}`, grpcErrorToKafkaError(error));
}
