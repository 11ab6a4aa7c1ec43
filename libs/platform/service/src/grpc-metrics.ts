import {
  status,
  type ServiceDefinition,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import type { CounterCell, Metrics } from '@stratus/platform-metrics';

type Labels = 'service' | 'method';

export interface GrpcServerMetrics {
  /** Wraps every handler of `implementation` so each call is counted by final status and timed. */
  instrument(serviceName: string, definition: ServiceDefinition, implementation: UntypedServiceImplementation): UntypedServiceImplementation;
}

const STATUS_NAMES = new Map<number, string>(
  Object.entries(status)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number')
    .map(([name, code]) => [code, name]),
);

interface CallLike {
  once(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * Per-method call counts by status and latency, the RED metrics of every gRPC server. Hot metric
 * cells (@stratus/platform-metrics): unary calls such as replication Read come once per fetch
 * on the catch-up path, so each is counted without prom-client's label hashing.
 */
export function createGrpcServerMetrics(metrics: Metrics): GrpcServerMetrics {
  const handled = metrics.hotCounter<Labels | 'code'>({
    name: 'stratus_grpc_server_handled_total',
    help: 'gRPC calls completed by the server, by final status code',
    labelNames: ['service', 'method', 'code'],
  });
  const seconds = metrics.hotHistogram<Labels>({
    name: 'stratus_grpc_server_handling_seconds',
    help: 'Time from receiving a gRPC call to sending its status',
    labelNames: ['service', 'method'],
  });

  return {
    instrument(serviceName, definition, implementation) {
      const wrapped: UntypedServiceImplementation = {};
      for (const [key, handler] of Object.entries(implementation)) {
        const method = definition[key];
        if (!method) {
          wrapped[key] = handler;
          continue;
        }
        const methodName = method.path.slice(method.path.lastIndexOf('/') + 1);
        const labels = { service: serviceName, method: methodName };
        const timing = seconds.cell(labels);
        const byCode = new Map<number, CounterCell>();
        const start = (): ((code: number) => void) => {
          const started = performance.now();
          let done = false;
          return (code) => {
            if (done) return;
            done = true;
            timing.observe((performance.now() - started) / 1000);
            let counted = byCode.get(code);
            if (!counted) {
              counted = handled.cell({ ...labels, code: STATUS_NAMES.get(code) ?? String(code) });
              byCode.set(code, counted);
            }
            counted.inc();
          };
        };
        const original = handler as (...args: unknown[]) => unknown;
        if (!method.responseStream) {
          // Unary and client-streaming calls end through their callback.
          wrapped[key] = ((call: CallLike, callback: (error: { code?: number } | null, ...rest: unknown[]) => void) => {
            const finish = start();
            call.once('cancelled', () => finish(status.CANCELLED));
            return original(call, (error: { code?: number } | null, ...rest: unknown[]) => {
              finish(error ? (error.code ?? status.UNKNOWN) : status.OK);
              callback(error, ...rest);
            });
          }) as UntypedHandleCall;
        } else {
          // Server-streaming and bidi calls end with 'finish' (OK), an emitted error, or a cancel.
          wrapped[key] = ((call: CallLike) => {
            const finish = start();
            call.once('finish', () => finish(status.OK));
            call.once('error', (error) => finish((error as { code?: number }).code ?? status.UNKNOWN));
            call.once('cancelled', () => finish(status.CANCELLED));
            return original(call);
          }) as UntypedHandleCall;
        }
      }
      return wrapped;
    },
  };
}
