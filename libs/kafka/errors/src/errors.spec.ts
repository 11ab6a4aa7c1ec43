import {
  ErrorCode,
  KafkaError,
  KafkaErrorException,
  allKafkaErrors,
  describeError,
  errorName,
  isKnownErrorCode,
  isRetriable,
  kafkaErrors,
} from './index';

describe('Kafka error table', () => {
  it('has unique codes and unique names', () => {
    const codes = allKafkaErrors.map((e) => e.code);
    const names = allKafkaErrors.map((e) => e.name);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(names).size).toBe(names.length);
  });

  it('is contiguous from -1 to the newest code, as Kafka allocates them', () => {
    const codes = allKafkaErrors.map((e) => e.code);
    expect(codes[0]).toBe(-1);
    codes.forEach((c, i) => expect(c).toBe(i - 1));
    expect(codes[codes.length - 1]).toBeGreaterThanOrEqual(133);
  });

  it.each([
    ['UNKNOWN_SERVER_ERROR', -1, false],
    ['NONE', 0, false],
    ['CORRUPT_MESSAGE', 2, true],
    ['UNKNOWN_TOPIC_OR_PARTITION', 3, true],
    ['NOT_LEADER_OR_FOLLOWER', 6, true],
    ['REQUEST_TIMED_OUT', 7, true],
    ['MESSAGE_TOO_LARGE', 10, false],
    ['NOT_COORDINATOR', 16, true],
    ['NOT_ENOUGH_REPLICAS', 19, true],
    ['TOPIC_AUTHORIZATION_FAILED', 29, false],
    ['UNSUPPORTED_VERSION', 35, false],
    ['TOPIC_ALREADY_EXISTS', 36, false],
    ['POLICY_VIOLATION', 44, false],
    ['OUT_OF_ORDER_SEQUENCE_NUMBER', 45, false],
    ['KAFKA_STORAGE_ERROR', 56, true],
    ['FENCED_LEADER_EPOCH', 74, true],
    ['INVALID_RECORD', 87, false],
    ['THROTTLING_QUOTA_EXCEEDED', 89, true],
    ['PRODUCER_FENCED', 90, false],
    ['UNKNOWN_TOPIC_ID', 100, true],
    ['TRANSACTION_ABORTABLE', 120, false],
    ['INVALID_RECORD_STATE', 121, false],
    ['SHARE_SESSION_NOT_FOUND', 122, true],
    ['INVALID_REGULAR_EXPRESSION', 128, false],
    ['REBOOTSTRAP_REQUIRED', 129, false],
    ['STREAMS_INVALID_TOPOLOGY', 130, false],
    ['SHARE_SESSION_LIMIT_REACHED', 133, true],
  ] as const)('%s is %i (retriable: %s)', (name, code, retriable) => {
    expect(ErrorCode[name]).toBe(code);
    expect(kafkaErrors[code].name).toBe(name);
    expect(errorName(code)).toBe(name);
    expect(isRetriable(code)).toBe(retriable);
  });

  it('gives every error a non-empty message', () => {
    for (const e of allKafkaErrors) expect(e.message.length).toBeGreaterThan(5);
  });

  it('treats codes outside the table as unknown, non-retriable server errors', () => {
    expect(isKnownErrorCode(32000)).toBe(false);
    expect(isKnownErrorCode(6)).toBe(true);
    expect(isRetriable(32000)).toBe(false);
    expect(errorName(32000)).toBe('UNKNOWN_ERROR_CODE(32000)');
    expect(describeError(-7).name).toBe('UNKNOWN_SERVER_ERROR');
  });

  it('freezes the table', () => {
    expect(Object.isFrozen(ErrorCode)).toBe(true);
    expect(Object.isFrozen(kafkaErrors[6])).toBe(true);
  });
});

describe('KafkaError', () => {
  it('carries code, name, retriability and a message', () => {
    const e = new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(e.name).toBe('NOT_LEADER_OR_FOLLOWER');
    expect(e.retriable).toBe(true);
    expect(e.message).toBeUndefined();
    expect(e.describe()).toBe(kafkaErrors[6].message);
    const specific = new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'CRC mismatch');
    expect(specific.describe()).toBe('CRC mismatch');
    expect(specific.toString()).toBe('CORRUPT_MESSAGE(2): CRC mismatch');
  });

  it('converts to an exception that keeps the value', () => {
    const e = new KafkaError(ErrorCode.POLICY_VIOLATION, 'too many partitions');
    const thrown = e.toError();
    expect(thrown).toBeInstanceOf(KafkaErrorException);
    expect(thrown.kafkaError).toBe(e);
    expect(thrown.message).toContain('POLICY_VIOLATION(44)');
  });
});
