import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ErrorCode, describeError, isKnownErrorCode, isRetriable, errorName } from '@stratus/kafka-errors';

// The one place that maps Kafka error codes to gRPC status codes and back.
//
// Between Stratus services the exact Kafka code travels in the `stratus-kafka-error` trailer, so a
// router answering a client reproduces the code the broker chose (NOT_LEADER_OR_FOLLOWER vs
// FENCED_LEADER_EPOCH matter to clients: both make them refresh metadata, only one is an epoch
// fence). The status code is for gRPC itself: retries, deadlines, dashboards, and peers that only
// see a status (a dead peer, a cancelled stream) — those are mapped by `grpcStatusToKafkaError`.

export const KAFKA_ERROR_TRAILER = 'stratus-kafka-error';

const KAFKA_TO_GRPC: ReadonlyMap<number, status> = new Map<number, status>([
  [ErrorCode.NONE, status.OK],
  [ErrorCode.UNKNOWN_SERVER_ERROR, status.INTERNAL],
  // Not here (any more) / not yet: the caller should refresh its view and retry elsewhere.
  [ErrorCode.NOT_LEADER_OR_FOLLOWER, status.UNAVAILABLE],
  [ErrorCode.LEADER_NOT_AVAILABLE, status.UNAVAILABLE],
  [ErrorCode.BROKER_NOT_AVAILABLE, status.UNAVAILABLE],
  [ErrorCode.REPLICA_NOT_AVAILABLE, status.UNAVAILABLE],
  [ErrorCode.NETWORK_EXCEPTION, status.UNAVAILABLE],
  [ErrorCode.COORDINATOR_NOT_AVAILABLE, status.UNAVAILABLE],
  [ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, status.UNAVAILABLE],
  [ErrorCode.NOT_COORDINATOR, status.UNAVAILABLE],
  [ErrorCode.NOT_CONTROLLER, status.UNAVAILABLE],
  [ErrorCode.NOT_ENOUGH_REPLICAS, status.UNAVAILABLE],
  [ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND, status.UNAVAILABLE],
  [ErrorCode.KAFKA_STORAGE_ERROR, status.UNAVAILABLE],
  [ErrorCode.REQUEST_TIMED_OUT, status.DEADLINE_EXCEEDED],
  [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, status.NOT_FOUND],
  [ErrorCode.UNKNOWN_TOPIC_ID, status.NOT_FOUND],
  [ErrorCode.GROUP_ID_NOT_FOUND, status.NOT_FOUND],
  [ErrorCode.RESOURCE_NOT_FOUND, status.NOT_FOUND],
  [ErrorCode.TRANSACTIONAL_ID_NOT_FOUND, status.NOT_FOUND],
  [ErrorCode.TOPIC_ALREADY_EXISTS, status.ALREADY_EXISTS],
  [ErrorCode.DUPLICATE_RESOURCE, status.ALREADY_EXISTS],
  [ErrorCode.OFFSET_OUT_OF_RANGE, status.OUT_OF_RANGE],
  [ErrorCode.POSITION_OUT_OF_RANGE, status.OUT_OF_RANGE],
  [ErrorCode.CORRUPT_MESSAGE, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_REQUEST, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_RECORD, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_TOPIC_EXCEPTION, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_PARTITIONS, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_REPLICATION_FACTOR, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_CONFIG, status.INVALID_ARGUMENT],
  [ErrorCode.MESSAGE_TOO_LARGE, status.INVALID_ARGUMENT],
  [ErrorCode.RECORD_LIST_TOO_LARGE, status.INVALID_ARGUMENT],
  [ErrorCode.INVALID_REQUIRED_ACKS, status.INVALID_ARGUMENT],
  // Epoch fences (replication protocol): the caller's view is stale; state, not input, is wrong.
  [ErrorCode.FENCED_LEADER_EPOCH, status.FAILED_PRECONDITION],
  [ErrorCode.UNKNOWN_LEADER_EPOCH, status.FAILED_PRECONDITION],
  [ErrorCode.STALE_BROKER_EPOCH, status.FAILED_PRECONDITION],
  [ErrorCode.PRODUCER_FENCED, status.FAILED_PRECONDITION],
  [ErrorCode.INVALID_PRODUCER_EPOCH, status.FAILED_PRECONDITION],
  [ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER, status.FAILED_PRECONDITION],
  [ErrorCode.POLICY_VIOLATION, status.FAILED_PRECONDITION],
  [ErrorCode.CONCURRENT_TRANSACTIONS, status.ABORTED],
  [ErrorCode.TOPIC_AUTHORIZATION_FAILED, status.PERMISSION_DENIED],
  [ErrorCode.GROUP_AUTHORIZATION_FAILED, status.PERMISSION_DENIED],
  [ErrorCode.CLUSTER_AUTHORIZATION_FAILED, status.PERMISSION_DENIED],
  [ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED, status.PERMISSION_DENIED],
  [ErrorCode.SASL_AUTHENTICATION_FAILED, status.UNAUTHENTICATED],
  [ErrorCode.THROTTLING_QUOTA_EXCEEDED, status.RESOURCE_EXHAUSTED],
  [ErrorCode.UNSUPPORTED_VERSION, status.UNIMPLEMENTED],
]);

const GRPC_TO_KAFKA: ReadonlyMap<status, number> = new Map<status, number>([
  [status.OK, ErrorCode.NONE],
  // A cancelled or dropped call tells nothing about the partition: a network error, retriable.
  [status.CANCELLED, ErrorCode.NETWORK_EXCEPTION],
  [status.UNKNOWN, ErrorCode.UNKNOWN_SERVER_ERROR],
  [status.INVALID_ARGUMENT, ErrorCode.INVALID_REQUEST],
  [status.DEADLINE_EXCEEDED, ErrorCode.REQUEST_TIMED_OUT],
  [status.NOT_FOUND, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION],
  [status.ALREADY_EXISTS, ErrorCode.TOPIC_ALREADY_EXISTS],
  [status.PERMISSION_DENIED, ErrorCode.CLUSTER_AUTHORIZATION_FAILED],
  [status.RESOURCE_EXHAUSTED, ErrorCode.THROTTLING_QUOTA_EXCEEDED],
  [status.FAILED_PRECONDITION, ErrorCode.UNKNOWN_SERVER_ERROR],
  [status.ABORTED, ErrorCode.UNKNOWN_SERVER_ERROR],
  [status.OUT_OF_RANGE, ErrorCode.OFFSET_OUT_OF_RANGE],
  [status.UNIMPLEMENTED, ErrorCode.UNSUPPORTED_VERSION],
  [status.INTERNAL, ErrorCode.UNKNOWN_SERVER_ERROR],
  // An unreachable leader broker: NOT_LEADER_OR_FOLLOWER makes every Kafka client refresh
  // metadata and retry, which is the recovery we want while leadership moves.
  [status.UNAVAILABLE, ErrorCode.NOT_LEADER_OR_FOLLOWER],
  [status.DATA_LOSS, ErrorCode.KAFKA_STORAGE_ERROR],
  [status.UNAUTHENTICATED, ErrorCode.SASL_AUTHENTICATION_FAILED],
]);

/** gRPC status for a Kafka error code. Unlisted codes: retriable → UNAVAILABLE, else FAILED_PRECONDITION. */
export function kafkaErrorToGrpcStatus(code: number): status {
  const mapped = KAFKA_TO_GRPC.get(code);
  if (mapped !== undefined) return mapped;
  if (!isKnownErrorCode(code)) return status.INTERNAL;
  return isRetriable(code) ? status.UNAVAILABLE : status.FAILED_PRECONDITION;
}

/** Kafka error code for a gRPC status seen without a `stratus-kafka-error` trailer. */
export function grpcStatusToKafkaError(code: status): number {
  return GRPC_TO_KAFKA.get(code) ?? ErrorCode.UNKNOWN_SERVER_ERROR;
}

/**
 * The error to hand to a gRPC callback (or `call.emit('error', ...)`) for a Kafka error: the
 * mapped status, a readable message, and the exact code in the trailer.
 */
export function kafkaErrorToGrpcError(code: number, message?: string): Partial<ServiceError> & { code: status } {
  const metadata = new Metadata();
  metadata.set(KAFKA_ERROR_TRAILER, String(code));
  const text = message ?? describeError(code).message;
  return { code: kafkaErrorToGrpcStatus(code), details: `${errorName(code)}: ${text}`, metadata };
}

/** The Kafka error code carried by a failed call: the trailer if present, else mapped from the status. */
export function grpcErrorToKafkaError(error: Pick<ServiceError, 'code'> & { metadata?: Metadata }): number {
  const values = error.metadata?.get(KAFKA_ERROR_TRAILER) ?? [];
  const first = values[0];
  if (first !== undefined) {
    const text = typeof first === 'string' ? first : first.toString('utf8');
    if (/^-?\d+$/.test(text)) return Number(text);
  }
  return grpcStatusToKafkaError(error.code);
}
