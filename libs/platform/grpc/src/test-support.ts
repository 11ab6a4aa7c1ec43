// Test-only: a service definition over raw bytes, so tests need no generated contracts.
import type { MethodDefinition, ServiceDefinition } from '@grpc/grpc-js';

const identity = (value: Buffer): Buffer => value;

function method(path: string, stream: { request: boolean; response: boolean }): MethodDefinition<Buffer, Buffer> {
  return {
    path,
    requestStream: stream.request,
    responseStream: stream.response,
    requestSerialize: identity,
    requestDeserialize: identity,
    responseSerialize: identity,
    responseDeserialize: identity,
  };
}

export const echoServiceDefinition: ServiceDefinition = {
  Unary: method('/stratus.test.v1.Echo/Unary', { request: false, response: false }),
  ClientStream: method('/stratus.test.v1.Echo/ClientStream', { request: true, response: false }),
  ServerStream: method('/stratus.test.v1.Echo/ServerStream', { request: false, response: true }),
  Bidi: method('/stratus.test.v1.Echo/Bidi', { request: true, response: true }),
};
