// Calls to the metadata service from the admin handlers: always with a deadline (a call without one
// can hang forever on a half-open connection), and failures turned into the Kafka error a client
// of that API knows how to handle.
import { status, type CallOptions, type Metadata, type ServiceError } from '@grpc/grpc-js';
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode, describeError } from '@stratus/kafka-errors';
import { KAFKA_ERROR_TRAILER, grpcErrorToKafkaError, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';

/** The metadata RPCs the admin APIs use, so tests and callers can pass any client that has them. */
export type AdminMetadataClient = Pick<
  metadataV1.MetadataServiceClient,
  | 'createTopics'
  | 'deleteTopics'
  | 'createPartitions'
  | 'describeConfigs'
  | 'alterConfigs'
  | 'incrementalAlterConfigs'
  | 'listTopics'
  | 'getQuotas'
  | 'setQuotas'
  | 'describeScramCredentials'
  | 'alterScramCredentials'
>;

/**
 * First version of each topic-mutation API that knows THROTTLING_QUOTA_EXCEEDED (KIP-599). Older
 * clients get their mutations done and are throttled instead (throttle_time_ms + a muted channel).
 */
export const STRICT_QUOTA_FROM = { createTopics: 6, deleteTopics: 5, createPartitions: 3 } as const;

type Callback<R> = (error: ServiceError | null, response: R) => void;

/**
 * How an API reports "metadata could not be reached". Topic creation, deletion and partition
 * growth are controller requests: NOT_CONTROLLER makes the Java AdminClient and kafkajs refresh
 * metadata and resend on their own. Every other admin API has no such retry path, so it gets
 * REQUEST_TIMED_OUT, which clients surface as a retriable timeout (as a Kafka broker does when
 * its forwarded request to the controller times out).
 */
export type UnavailableAs = 'NOT_CONTROLLER' | 'REQUEST_TIMED_OUT';

export interface TranslatedError {
  readonly code: number;
  readonly message: string;
}

/** Status codes that say nothing about the request itself: the metadata service was not reached or gave up. */
const TRANSPORT_STATUSES = new Set<number>([status.UNAVAILABLE, status.CANCELLED, status.DEADLINE_EXCEEDED, status.RESOURCE_EXHAUSTED]);

/**
 * The Kafka error for a failed metadata call. An exact Kafka code in the `stratus-kafka-error`
 * trailer wins (the metadata service chose it); transport failures become the retriable code of
 * the API; anything else goes through the one gRPC ↔ Kafka map in @stratus/platform-grpc.
 */
export function translateMetadataError(error: unknown, unavailableAs: UnavailableAs): TranslatedError {
  if (!isServiceError(error)) {
    return { code: ErrorCode.UNKNOWN_SERVER_ERROR, message: 'Unexpected error while calling the metadata service.' };
  }
  const hasTrailer = (error.metadata?.get(KAFKA_ERROR_TRAILER) ?? []).length > 0;
  if (!hasTrailer && TRANSPORT_STATUSES.has(error.code)) {
    const code = error.code === status.DEADLINE_EXCEEDED ? ErrorCode.REQUEST_TIMED_OUT : ErrorCode[unavailableAs];
    return { code, message: `The metadata service is not reachable right now; retry. (${describeError(code).message})` };
  }
  const code = grpcErrorToKafkaError(error);
  // Details may name internals (addresses, etcd); the client gets the Kafka text for the code.
  return { code, message: describeError(code).message };
}

function isServiceError(error: unknown): error is ServiceError {
  return typeof error === 'object' && error !== null && typeof (error as { code?: unknown }).code === 'number';
}

type MethodName = keyof AdminMetadataClient;
type RequestOf<M extends MethodName> = Parameters<Extract<AdminMetadataClient[M], (r: never, m: Metadata, o: Partial<CallOptions>, cb: never) => unknown>>[0];
type ResponseOf<M extends MethodName> =
  Parameters<Extract<AdminMetadataClient[M], (r: never, m: Metadata, o: Partial<CallOptions>, cb: never) => unknown>>[3] extends Callback<infer R> ? R : never;

/** One unary metadata call with a deadline; rejects with the gRPC ServiceError. */
export function callMetadata<M extends MethodName>(client: AdminMetadataClient, method: M, request: RequestOf<M>, timeoutMs: number): Promise<ResponseOf<M>> {
  const fn = client[method] as unknown as UnaryMethod<RequestOf<M>, ResponseOf<M>>;
  return unaryCall(client, fn, request, { timeoutMs });
}
