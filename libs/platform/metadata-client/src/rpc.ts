// The metadata client's unary calls: platform-grpc's unaryCall with wait-for-ready, so a call made
// while the metadata service restarts waits (within its deadline) instead of failing at once.
import { Metadata } from '@grpc/grpc-js';
import { unaryCall as grpcUnaryCall, type UnaryMethod } from '@stratus/platform-grpc';

/**
 * gRPC wait-for-ready: while the channel is reconnecting (a metadata restart) a call waits, within
 * its deadline, for the connection instead of failing at once with UNAVAILABLE.
 */
export function waitForReady(): Metadata {
  return new Metadata({ waitForReady: true });
}

export function unaryCall<Req, Res>(client: object, method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number): Promise<Res> {
  return grpcUnaryCall(client, method, request, { timeoutMs, waitForReady: true });
}
