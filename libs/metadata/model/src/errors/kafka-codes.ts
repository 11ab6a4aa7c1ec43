// The Kafka error codes the metadata contract returns, taken from the generated Kafka error table
// so there is one source of truth for code numbers.
import { ErrorCode } from '@stratus/kafka-errors';

export const KafkaCode = {
  UNKNOWN_SERVER_ERROR: ErrorCode.UNKNOWN_SERVER_ERROR,
  UNKNOWN_TOPIC_OR_PARTITION: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION,
  INVALID_TOPIC_EXCEPTION: ErrorCode.INVALID_TOPIC_EXCEPTION,
  TOPIC_ALREADY_EXISTS: ErrorCode.TOPIC_ALREADY_EXISTS,
  INVALID_PARTITIONS: ErrorCode.INVALID_PARTITIONS,
  INVALID_REPLICATION_FACTOR: ErrorCode.INVALID_REPLICATION_FACTOR,
  NOT_CONTROLLER: ErrorCode.NOT_CONTROLLER,
  INVALID_REQUEST: ErrorCode.INVALID_REQUEST,
  INVALID_CONFIG: ErrorCode.INVALID_CONFIG,
  POLICY_VIOLATION: ErrorCode.POLICY_VIOLATION,
  SASL_AUTHENTICATION_FAILED: ErrorCode.SASL_AUTHENTICATION_FAILED,
  UNKNOWN_TOPIC_ID: ErrorCode.UNKNOWN_TOPIC_ID,
  RESOURCE_NOT_FOUND: ErrorCode.RESOURCE_NOT_FOUND,
  DUPLICATE_RESOURCE: ErrorCode.DUPLICATE_RESOURCE,
  UNACCEPTABLE_CREDENTIAL: ErrorCode.UNACCEPTABLE_CREDENTIAL,
  // A compare-on-revision write whose expected revision is stale (as Kafka answers a stale
  // AlterPartition/UpdateFeatures version); gRPC maps it to FAILED_PRECONDITION, as the contract says.
  INVALID_UPDATE_VERSION: ErrorCode.INVALID_UPDATE_VERSION,
  UNSUPPORTED_SASL_MECHANISM: ErrorCode.UNSUPPORTED_SASL_MECHANISM,
} as const;

export type KafkaCodeName = keyof typeof KafkaCode;
export type KafkaErrorCode = (typeof KafkaCode)[KafkaCodeName];
