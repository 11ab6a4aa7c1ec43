export {
  createGrpcServer,
  bindGrpcServer,
  grpcServerChannelOptions,
  serviceNameOf,
  DEFAULT_MAX_MESSAGE_BYTES,
  type GrpcServerOptions,
} from './server';
export {
  createGrpcClient,
  grpcClientChannelOptions,
  deadlineAfter,
  callOptions,
  DEFAULT_CALL_TIMEOUT_MS,
  DEFAULT_RECEIVE_WINDOW_BYTES,
  type GrpcClientOptions,
} from './client';
export {
  kafkaErrorToGrpcStatus,
  grpcStatusToKafkaError,
  kafkaErrorToGrpcError,
  grpcErrorToKafkaError,
  KAFKA_ERROR_TRAILER,
} from './kafka-status';
export { unaryCall, UnaryCallOptionsError, type UnaryCallOptions, type UnaryMethod } from './unary-call';
export { unimplemented, type UnimplementedOptions } from './unimplemented';
export { GrpcHealth, checkGrpcHealth, type HealthCheckResult, type ServingStatus } from './health';
export { shutdownGrpcServer, type GrpcShutdownResult } from './shutdown';
