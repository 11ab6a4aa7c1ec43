// Kafka error codes the metadata contract returns (from the Kafka protocol's error table,
// clients/src/main/java/org/apache/kafka/common/protocol/Errors). Kept as numeric constants so
// this pure library stays independent of the generated table; values are the wire codes.
export const KafkaCode = {
  UNKNOWN_SERVER_ERROR: -1,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  INVALID_TOPIC_EXCEPTION: 17,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  NOT_CONTROLLER: 41,
  INVALID_REQUEST: 42,
  INVALID_CONFIG: 40,
  POLICY_VIOLATION: 44,
  SASL_AUTHENTICATION_FAILED: 58,
  UNKNOWN_TOPIC_ID: 100,
  RESOURCE_NOT_FOUND: 91,
  DUPLICATE_RESOURCE: 92,
  UNSUPPORTED_SASL_MECHANISM: 33,
} as const;

export type KafkaCodeName = keyof typeof KafkaCode;
export type KafkaErrorCode = (typeof KafkaCode)[KafkaCodeName];
