import { KafkaCode } from './kafka-codes';

describe('KafkaCode', () => {
  it('uses the Kafka wire codes clients expect', () => {
    expect(KafkaCode).toMatchObject({
      UNKNOWN_TOPIC_OR_PARTITION: 3,
      INVALID_TOPIC_EXCEPTION: 17,
      TOPIC_ALREADY_EXISTS: 36,
      INVALID_PARTITIONS: 37,
      INVALID_REPLICATION_FACTOR: 38,
      INVALID_CONFIG: 40,
      POLICY_VIOLATION: 44,
      SASL_AUTHENTICATION_FAILED: 58,
      RESOURCE_NOT_FOUND: 91,
      DUPLICATE_RESOURCE: 92,
      INVALID_UPDATE_VERSION: 95,
      UNKNOWN_TOPIC_ID: 100,
    });
  });
});
