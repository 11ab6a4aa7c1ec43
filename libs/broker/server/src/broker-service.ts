// brokerV1.BrokerService over the partition leaders this broker serves: what the router calls.
import { brokerV1, type commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { emptyFetchResponse, fetchResponseBytes, handleFetch } from './fetch-handler';
import type { LeaderDirectory } from './leader-directory';
import type { Log } from './leadership-manager';
import { handleDescribeProducers } from './describe-producers';
import { handleDeleteRecords, handleListOffsets, handleOffsetForLeaderEpoch } from './offsets-handler';
import { kafkaError } from './partition-access';
import { handleProduce, produceRequestBytes } from './produce-handler';
import type { ProducerIdAllocator } from './producer-ids';
import type { ReplicaLocality } from './replica-locality';
import { SharedByteBudget } from './shared-budget';
import { pumpStream } from './stream-pump';
import type { TopicLookup } from './types';
import { handleInitProducerId } from './init-producer-id';
import { listOffsetsAcrossTiers } from './tier-offsets';
import { TierReadPath, type TierPort } from './tier-read';

/** A native handler for Kafka APIs forwarded as bytes (group and transaction coordinators). */
export type PassthroughHandler = (request: brokerV1.KafkaPassthroughRequest) => Promise<brokerV1.KafkaPassthroughResponse>;

export interface BrokerServiceOptions {
  readonly directory: LeaderDirectory;
  readonly topics: TopicLookup;
  readonly producerIds: ProducerIdAllocator;
  readonly log: Log;
  readonly passthrough?: PassthroughHandler;
  /** Used when a request carries no timeout_ms (default 30 s, Kafka's request.timeout.ms). */
  readonly defaultTimeoutMs?: number;
  /** Bytes of produce payloads in flight per stream before the stream stops reading (default 64 MiB). */
  readonly produceStreamBytes?: number;
  /** Response bytes reserved by fetches in flight per stream before it stops reading (default 64 MiB). */
  readonly fetchStreamBytes?: number;
  /** Cap of one fetch response's records (default 50 MiB, Kafka's fetch.max.bytes default). */
  readonly maxFetchResponseBytes?: number;
  /** Tiered storage for reads below the hot tier (KIP-405); absent: the hot tier only. */
  readonly tier?: TierPort;
  /** Produce bytes in flight over all streams before every produce stream stops reading (default 512 MiB). */
  readonly produceProcessBytes?: number;
  /** Fetch response bytes reserved over all streams before every fetch stream stops reading (default 1 GiB). */
  readonly fetchProcessBytes?: number;
  /** Replica AZs for follower fetching (KIP-392) and the cross-AZ read counter. */
  readonly replicaLocality?: ReplicaLocality;
}

type UnaryCallback<Res> = (error: null, response: Res) => void;

export function createBrokerService(options: BrokerServiceOptions): brokerV1.BrokerServiceServer {
  const access = { directory: options.directory, topics: options.topics };
  const defaultTimeoutMs = options.defaultTimeoutMs ?? 30_000;
  const tier = options.tier ? new TierReadPath(options.tier, { log: options.log }) : undefined;
  // A recovered leader's durable start came from the replicas: a trim the previous leader sent
  // (or never got to send) before it stopped is sent again when the tier still starts below.
  if (tier) {
    options.directory.onLeadershipChange((change) => {
      if (change.kind !== 'serving') return;
      tier.leaderStarted(change.partition, change.leader.snapshot().logStart).catch((err: unknown) => options.log.warn({ err, partition: change.key }, 'tiered start check after recovery failed'));
    });
  }
  const fetchOptions = {
    ...access,
    maxResponseBytes: options.maxFetchResponseBytes ?? 50 * 1024 * 1024,
    ...(tier ? { tier } : {}),
    ...(options.replicaLocality ? { locality: options.replicaLocality } : {}),
  };
  // One budget per kind for the whole process (shared-budget.ts), on top of each stream's own.
  const produceShared = new SharedByteBudget(options.produceProcessBytes ?? 512 * 1024 * 1024);
  const fetchShared = new SharedByteBudget(options.fetchProcessBytes ?? 1024 * 1024 * 1024);
  const unary = <Req, Res>(name: string, handler: (request: Req) => Promise<Res> | Res, onFault: (request: Req) => Res) =>
    (call: { request: Req }, callback: UnaryCallback<Res>): void => {
      Promise.resolve()
        .then(() => handler(call.request))
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            options.log.error({ err, rpc: name }, 'broker RPC failed');
            callback(null, onFault(call.request));
          },
        );
    };
  const serverError = (): commonV1.KafkaError => kafkaError(ErrorCode.UNKNOWN_SERVER_ERROR, 'internal error; see broker log');

  return {
    produce: (call) => {
      pumpStream({
        call,
        sizeOf: produceRequestBytes,
        maxInFlightBytes: options.produceStreamBytes ?? 64 * 1024 * 1024,
        shared: produceShared,
        handle: (request) => handleProduce({ ...access, defaultTimeoutMs, ...(tier ? { tier } : {}) }, request),
        onFault: (request) => ({ correlationId: request.header?.correlationId ?? 0n, error: serverError(), partitions: [], throttleTimeMs: 0 }),
        log: options.log,
      });
    },
    fetch: (call) => {
      pumpStream({
        call,
        sizeOf: (request) => fetchResponseBytes(request, fetchOptions),
        maxInFlightBytes: options.fetchStreamBytes ?? 64 * 1024 * 1024,
        shared: fetchShared,
        handle: (request, signal) => handleFetch(fetchOptions, request, signal),
        onFault: (request) => emptyFetchResponse(request.header?.correlationId ?? 0n, serverError()),
        log: options.log,
      });
    },
    listOffsets: unary(
      'ListOffsets',
      (r: brokerV1.ListOffsetsRequest) =>
        tier ? listOffsetsAcrossTiers(tier, r, (hot) => handleListOffsets(access, hot), (p) => options.directory.get(p)?.snapshot()) : handleListOffsets(access, r),
      () => ({ partitions: [] }),
    ),
    offsetForLeaderEpoch: unary('OffsetForLeaderEpoch', (r: brokerV1.OffsetForLeaderEpochRequest) => handleOffsetForLeaderEpoch(access, r), () => ({ partitions: [] })),
    deleteRecords: unary('DeleteRecords', (r: brokerV1.DeleteRecordsRequest) => handleDeleteRecords(access, r, tier), () => ({ partitions: [] })),
    initProducerId: unary(
      'InitProducerId',
      (r: brokerV1.InitProducerIdRequest) => handleInitProducerId({ producerIds: options.producerIds, defaultTimeoutMs, log: options.log }, r),
      () => ({ error: serverError(), producerId: -1n, producerEpoch: -1, throttleTimeMs: 0 }),
    ),
    describeProducers: unary(
      'DescribeProducers',
      (r: brokerV1.DescribeProducersRequest) => handleDescribeProducers(access, r),
      (r) => ({ partitions: r.partitions.map((partition) => ({ partition, error: serverError(), activeProducers: [], currentLeader: undefined })) }),
    ),
    kafkaPassthrough: unary(
      'KafkaPassthrough',
      (r: brokerV1.KafkaPassthroughRequest) =>
        options.passthrough
          ? options.passthrough(r)
          : { error: kafkaError(ErrorCode.UNSUPPORTED_VERSION, `API key ${r.apiKey} is not implemented by this broker`), response: Buffer.alloc(0) },
      () => ({ error: serverError(), response: Buffer.alloc(0) }),
    ),
  };
}
