// Glue between grpc-js handlers and the store: whole-request failures become gRPC statuses with
// the Kafka code in the trailer (via the one mapping module in platform-grpc); item-level Kafka
// errors stay in the response bodies, as the contract says.
import { status, type handleUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { kafkaErrorToGrpcError } from '@stratus/platform-grpc';
import { tenantId, type MetadataError, type Result, type TenantId } from '@stratus/metadata-model';
import { ContentionError } from '@stratus/metadata-store';

/** A whole-request failure carrying its Kafka error. */
export class RequestFailed extends Error {
  constructor(readonly error: MetadataError) {
    super(error.message);
  }
}

export class BadRequest extends Error {}

export function orThrow<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new RequestFailed(result.error);
}

export function requireTenant(id: { value: string } | undefined): TenantId {
  if (!id || id.value.length === 0) throw new BadRequest('tenant_id is required');
  return tenantId(id.value);
}

export function toGrpcError(err: unknown): Partial<ServiceError> & { code: status } {
  if (err instanceof RequestFailed) return kafkaErrorToGrpcError(err.error.code, err.error.message);
  if (err instanceof BadRequest) return { code: status.INVALID_ARGUMENT, details: err.message };
  if (err instanceof ContentionError) return { code: status.ABORTED, details: err.message };
  // Everything else is etcd being unreachable or a bug; neither leaks internals to callers.
  const message = err instanceof Error ? err.message : String(err);
  const transport = /unavailable|deadline|ECONNREFUSED|circuit|connect/i.test(message);
  return { code: transport ? status.UNAVAILABLE : status.INTERNAL, details: transport ? 'metadata store unavailable' : 'internal error' };
}

export function unary<Req, Res>(fn: (request: Req) => Promise<Res>): handleUnaryCall<Req, Res> {
  return (call, callback) => {
    fn(call.request).then(
      (response) => callback(null, response),
      (err: unknown) => callback(toGrpcError(err)),
    );
  };
}
