import { Metadata, status } from '@grpc/grpc-js';
import { allKafkaErrors, ErrorCode } from '@stratus/kafka-errors';
import {
  grpcErrorToKafkaError,
  grpcStatusToKafkaError,
  KAFKA_ERROR_TRAILER,
  kafkaErrorToGrpcError,
  kafkaErrorToGrpcStatus,
} from './kafka-status';

describe('Kafka error <-> gRPC status', () => {
  it.each([
    [ErrorCode.NONE, status.OK],
    [ErrorCode.NOT_LEADER_OR_FOLLOWER, status.UNAVAILABLE],
    [ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, status.NOT_FOUND],
    [ErrorCode.REQUEST_TIMED_OUT, status.DEADLINE_EXCEEDED],
    [ErrorCode.UNKNOWN_SERVER_ERROR, status.INTERNAL],
    [ErrorCode.OFFSET_OUT_OF_RANGE, status.OUT_OF_RANGE],
    [ErrorCode.FENCED_LEADER_EPOCH, status.FAILED_PRECONDITION],
    [ErrorCode.TOPIC_AUTHORIZATION_FAILED, status.PERMISSION_DENIED],
    [ErrorCode.SASL_AUTHENTICATION_FAILED, status.UNAUTHENTICATED],
    [ErrorCode.THROTTLING_QUOTA_EXCEEDED, status.RESOURCE_EXHAUSTED],
    [ErrorCode.CORRUPT_MESSAGE, status.INVALID_ARGUMENT],
  ])('maps Kafka %i to gRPC %i', (kafka, grpc) => {
    expect(kafkaErrorToGrpcStatus(kafka)).toBe(grpc);
  });

  it('maps every Kafka error: retriable ones to a status gRPC clients may retry', () => {
    for (const error of allKafkaErrors) {
      const mapped = kafkaErrorToGrpcStatus(error.code);
      if (error.code === ErrorCode.NONE) expect(mapped).toBe(status.OK);
      else expect(mapped).not.toBe(status.OK);
    }
    expect(kafkaErrorToGrpcStatus(ErrorCode.UNSTABLE_OFFSET_COMMIT)).toBe(status.UNAVAILABLE);
    expect(kafkaErrorToGrpcStatus(ErrorCode.NON_EMPTY_GROUP)).toBe(status.FAILED_PRECONDITION);
    expect(kafkaErrorToGrpcStatus(32767)).toBe(status.INTERNAL);
  });

  it('maps every gRPC status to a Kafka code, agreeing with the forward map where the forward map is the source', () => {
    for (let code = status.OK; code <= status.UNAUTHENTICATED; code++) {
      const kafka = grpcStatusToKafkaError(code);
      expect(allKafkaErrors.some((error) => error.code === kafka)).toBe(true);
    }
    for (const grpc of [status.OK, status.DEADLINE_EXCEEDED, status.NOT_FOUND, status.UNAVAILABLE, status.OUT_OF_RANGE, status.UNAUTHENTICATED]) {
      expect(kafkaErrorToGrpcStatus(grpcStatusToKafkaError(grpc))).toBe(grpc);
    }
  });

  it('carries the exact Kafka code through the trailer for every known error', () => {
    for (const error of allKafkaErrors) {
      const grpcError = kafkaErrorToGrpcError(error.code);
      expect(grpcError.details).toContain(error.name);
      expect(grpcErrorToKafkaError(grpcError)).toBe(error.code);
    }
  });

  it('falls back to the status when no trailer is present or it is garbage', () => {
    expect(grpcErrorToKafkaError({ code: status.DEADLINE_EXCEEDED })).toBe(ErrorCode.REQUEST_TIMED_OUT);
    const metadata = new Metadata();
    metadata.set(KAFKA_ERROR_TRAILER, 'six');
    expect(grpcErrorToKafkaError({ code: status.UNAVAILABLE, metadata })).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
  });

  it('uses a given message', () => {
    expect(kafkaErrorToGrpcError(ErrorCode.INVALID_REQUEST, 'bad acks').details).toBe('INVALID_REQUEST: bad acks');
  });
});
