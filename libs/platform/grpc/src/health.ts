import { makeGenericClientConstructor, credentials, status, type Client, type Server, type ServiceDefinition, type ServiceError } from '@grpc/grpc-js';
import { HealthImplementation, service as healthServiceDefinition, type ServingStatus } from 'grpc-health-check';

export type { ServingStatus } from 'grpc-health-check';

/**
 * grpc.health.v1 for one server. The empty service name stands for the whole server (what
 * Kubernetes gRPC probes and load balancers ask); each registered service is reported too.
 * Starts NOT_SERVING: a process is only SERVING once it has finished starting.
 */
export class GrpcHealth {
  private readonly implementation = new HealthImplementation({ '': 'NOT_SERVING' });
  private readonly services = new Set<string>(['']);
  private current: ServingStatus = 'NOT_SERVING';

  addToServer(server: Server): void {
    this.implementation.addToServer(server);
  }

  /** Reports `serviceName` with the server's status from now on. */
  register(serviceName: string): void {
    this.services.add(serviceName);
    this.implementation.setStatus(serviceName, this.current);
  }

  setServing(serving: boolean): void {
    this.current = serving ? 'SERVING' : 'NOT_SERVING';
    for (const name of this.services) this.implementation.setStatus(name, this.current);
  }

  get status(): ServingStatus {
    return this.current;
  }
}

interface HealthCheckClient extends Client {
  check(
    request: { service: string },
    options: { deadline: Date },
    callback: (error: ServiceError | null, response?: { status: ServingStatus | 'SERVICE_UNKNOWN' }) => void,
  ): void;
}

const HealthClient = makeGenericClientConstructor(
  healthServiceDefinition as unknown as ServiceDefinition,
  'grpc.health.v1.Health',
) as unknown as new (address: string, creds: ReturnType<typeof credentials.createInsecure>) => HealthCheckClient;

export type HealthCheckResult = ServingStatus | 'SERVICE_UNKNOWN';

/**
 * One grpc.health.v1 Check against `address` (host:port). Used by tests, the local cluster
 * runner and the CLI; resolves to the reported status, or `SERVICE_UNKNOWN` for a name the
 * server does not know (NOT_FOUND).
 */
export function checkGrpcHealth(address: string, options: { service?: string; timeoutMs?: number } = {}): Promise<HealthCheckResult> {
  const client = new HealthClient(address, credentials.createInsecure());
  return new Promise<HealthCheckResult>((resolve, reject) => {
    client.check(
      { service: options.service ?? '' },
      { deadline: new Date(Date.now() + (options.timeoutMs ?? 2_000)) },
      (error, response) => {
        client.close();
        if (error) {
          if (error.code === status.NOT_FOUND) resolve('SERVICE_UNKNOWN');
          else reject(error);
        } else {
          resolve(response?.status ?? 'UNKNOWN');
        }
      },
    );
  });
}
