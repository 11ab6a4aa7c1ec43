// Test doubles for the unit tests: a metadata client answering from scripted functions (or failing
// like a gRPC call does) and a request context of an authenticated tenant.
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { createLogger } from '@stratus/platform-logging';
import { kafkaErrorToGrpcError } from '@stratus/platform-grpc';
import type { ApiHandler, HandlerResult, HandlerViolation, RequestContext } from '@stratus/router-kafka-server';
import type { ClusterView } from '@stratus/router-cluster-view';
import { adminHandlers, type AdminHandlersOptions } from './admin-handlers';
import type { AdminMetadataClient } from './metadata-call';

type Answer = (request: never) => unknown;

/** A gRPC failure without a Kafka trailer (what an unreachable or broken peer produces). */
export function grpcFailure(code: status, details = 'boom'): ServiceError {
  return Object.assign(new Error(details), { code, details, metadata: new Metadata() }) as ServiceError;
}

/** A gRPC failure carrying an exact Kafka code in the trailer, as Stratus services send them. */
export function kafkaFailure(kafkaCode: number): ServiceError {
  return Object.assign(new Error('kafka'), kafkaErrorToGrpcError(kafkaCode)) as ServiceError;
}

export class FakeMetadata {
  /** Each call with the milliseconds its deadline left when it was made. */
  readonly calls: Array<{ method: string; request: unknown; deadlineInMs?: number }> = [];
  private readonly answers = new Map<string, Answer>();

  answer(method: keyof AdminMetadataClient, fn: Answer): this {
    this.answers.set(method, fn);
    return this;
  }

  get client(): AdminMetadataClient {
    const handler: ProxyHandler<object> = {
      get: (_t, method: string) => (request: unknown, _m: Metadata, options: { deadline?: Date | number }, callback: (e: ServiceError | null, r?: unknown) => void) => {
        const deadline = options?.deadline;
        const deadlineInMs = deadline === undefined ? undefined : new Date(deadline).getTime() - Date.now();
        this.calls.push({ method, request, ...(deadlineInMs === undefined ? {} : { deadlineInMs }) });
        const fn = this.answers.get(method);
        setImmediate(() => {
          try {
            if (!fn) throw grpcFailure(status.UNIMPLEMENTED, `${method} not scripted`);
            callback(null, fn(request as never));
          } catch (err) {
            callback(err as ServiceError);
          }
        });
      },
    };
    return new Proxy({}, handler) as AdminMetadataClient;
  }
}

export const quietLogger = createLogger({ service: 'admin-unit', level: 'silent' });

export function contextFor(tenant: string | undefined, nodeId = 0, apiVersion = 0): RequestContext {
  return {
    header: { apiKey: 0, apiVersion, correlationId: 1, clientId: 'unit' },
    sasl: { principal: tenant === undefined ? undefined : { username: 'u', tenantId: tenant } },
    listener: { nodeId, host: '127.0.0.1', port: 9092, clusterId: 'c' },
    logger: quietLogger,
    advertised: [],
    noteClientSoftware: () => undefined,
  } as unknown as RequestContext;
}

export function handlerFor(apiKey: number, options: Partial<AdminHandlersOptions> & { metadata: AdminMetadataClient; view?: ClusterView }): ApiHandler {
  const h = adminHandlers({ logger: quietLogger, ...options }).find((x) => x.apiKey === apiKey);
  if (!h) throw new Error(`no handler for ${apiKey}`);
  return h;
}

export async function respond<T>(handler: ApiHandler, request: unknown, ctx: RequestContext = contextFor('t-1')): Promise<T> {
  const result: HandlerResult | HandlerViolation = await handler.handle(ctx, request);
  if ('violation' in result) throw new Error(result.violation);
  return result.response as T;
}
