// A grpc.health.v1 Check client, the same probe Kubernetes' gRPC liveness/readiness probe runs.
import { credentials, makeGenericClientConstructor, type ServiceError } from '@grpc/grpc-js';
import { service as healthService } from 'grpc-health-check';

export type HealthStatus = 'UNKNOWN' | 'SERVING' | 'NOT_SERVING' | 'SERVICE_UNKNOWN';

export interface GrpcHealthCheckOptions {
  /** '' (the default) asks about the server as a whole, per the health protocol. */
  readonly service?: string;
  readonly timeoutMs?: number;
}

const HealthClient = makeGenericClientConstructor(healthService, 'grpc.health.v1.Health');

interface HealthCheckResponse {
  readonly status: HealthStatus | number;
}

type CheckFn = (
  request: { service: string },
  options: { deadline: Date },
  callback: (err: ServiceError | null, response?: HealthCheckResponse) => void,
) => void;

/**
 * Calls grpc.health.v1.Health/Check on `address` ("127.0.0.1:port"). Resolves with the status;
 * rejects with the gRPC error (e.g. NOT_FOUND for an unknown service, UNAVAILABLE when nothing listens).
 */
export async function grpcHealthCheck(address: string, options: GrpcHealthCheckOptions = {}): Promise<HealthStatus> {
  const client = new HealthClient(address, credentials.createInsecure());
  const check = (client as unknown as { Check: CheckFn }).Check.bind(client);
  try {
    return await new Promise<HealthStatus>((resolve, reject) => {
      check(
        { service: options.service ?? '' },
        { deadline: new Date(Date.now() + (options.timeoutMs ?? 5_000)) },
        (err, response) => {
          if (err) reject(err);
          else resolve(normalise(response?.status));
        },
      );
    });
  } finally {
    client.close();
  }
}

const STATUS_BY_NUMBER: readonly HealthStatus[] = ['UNKNOWN', 'SERVING', 'NOT_SERVING', 'SERVICE_UNKNOWN'];

function normalise(status: HealthStatus | number | undefined): HealthStatus {
  if (typeof status === 'number') return STATUS_BY_NUMBER[status] ?? 'UNKNOWN';
  return status ?? 'UNKNOWN';
}
