import type { Server } from '@grpc/grpc-js';

export interface GrpcShutdownResult {
  /** True when in-flight calls were still running at the end of the grace period and got cancelled. */
  readonly forced: boolean;
}

/**
 * Stops accepting new calls, lets in-flight calls finish, and cancels whatever is still running
 * after `graceMs` (Kubernetes sends SIGKILL after terminationGracePeriodSeconds, so an unbounded
 * drain would only turn a clean exit into a kill).
 */
export function shutdownGrpcServer(server: Server, options: { graceMs: number }): Promise<GrpcShutdownResult> {
  return new Promise((resolve) => {
    let settled = false;
    const timer = setTimeout(() => {
      if (settled) return;
      settled = true;
      server.forceShutdown();
      resolve({ forced: true });
    }, options.graceMs);
    server.tryShutdown(() => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ forced: false });
    });
  });
}
