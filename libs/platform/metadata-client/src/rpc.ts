// Promise form of the generated callback-style unary calls, always with a deadline (a call without
// one can hang forever on a half-open connection).
import { Metadata, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { callOptions } from '@stratus/platform-grpc';

/**
 * gRPC wait-for-ready: while the channel is reconnecting (a metadata restart) a call waits, within
 * its deadline, for the connection instead of failing at once with UNAVAILABLE.
 */
export function waitForReady(): Metadata {
  return new Metadata({ waitForReady: true });
}

type UnaryMethod<Req, Res> = (request: Req, metadata: Metadata, options: Partial<CallOptions>, callback: (err: ServiceError | null, response: Res) => void) => unknown;

export function unaryCall<Req, Res>(client: object, method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number): Promise<Res> {
  return new Promise((resolve, reject) => {
    const fn = method as unknown as (r: Req, m: Metadata, o: Partial<CallOptions>, cb: (err: ServiceError | null, res: Res) => void) => unknown;
    fn.call(client, request, waitForReady(), callOptions(timeoutMs), (err, res) => (err ? reject(err) : resolve(res)));
  });
}
