import { status } from '@grpc/grpc-js';
import { ErrorCode } from '@stratus/kafka-errors';
import { translateMetadataError } from './metadata-call';
import { grpcFailure, kafkaFailure } from './testing.testkit';

describe('translateMetadataError', () => {
  it('turns an unreachable metadata service into the retriable code of the API', () => {
    for (const code of [status.UNAVAILABLE, status.CANCELLED, status.RESOURCE_EXHAUSTED]) {
      expect(translateMetadataError(grpcFailure(code), 'NOT_CONTROLLER').code).toBe(ErrorCode.NOT_CONTROLLER);
      expect(translateMetadataError(grpcFailure(code), 'REQUEST_TIMED_OUT').code).toBe(ErrorCode.REQUEST_TIMED_OUT);
    }
    expect(translateMetadataError(grpcFailure(status.DEADLINE_EXCEEDED), 'NOT_CONTROLLER').code).toBe(ErrorCode.REQUEST_TIMED_OUT);
  });

  it('keeps the exact Kafka code a Stratus service put in the trailer', () => {
    expect(translateMetadataError(kafkaFailure(ErrorCode.POLICY_VIOLATION), 'NOT_CONTROLLER').code).toBe(ErrorCode.POLICY_VIOLATION);
    // Even a retriable one travelling as UNAVAILABLE keeps its own code.
    expect(translateMetadataError(kafkaFailure(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS), 'NOT_CONTROLLER').code).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
  });

  it('maps other statuses through the shared gRPC ↔ Kafka table, without leaking details', () => {
    const bad = translateMetadataError(grpcFailure(status.INVALID_ARGUMENT, 'etcd at 10.0.0.1 said no'), 'NOT_CONTROLLER');
    expect(bad.code).toBe(ErrorCode.INVALID_REQUEST);
    expect(bad.message).not.toContain('10.0.0.1');
    expect(translateMetadataError(grpcFailure(status.INTERNAL), 'NOT_CONTROLLER').code).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    expect(translateMetadataError(new Error('not grpc'), 'NOT_CONTROLLER').code).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
  });
});
