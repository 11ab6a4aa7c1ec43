import type { DestinationStream } from 'pino';
import type { z } from 'zod';
import type { Server, ServiceDefinition, UntypedServiceImplementation } from '@grpc/grpc-js';
import { loadConfig, type BaseConfig } from '@stratus/platform-config';
import { bindGrpcServer, createGrpcServer, GrpcHealth, serviceNameOf, shutdownGrpcServer } from '@stratus/platform-grpc';
import { createLogger, type Logger } from '@stratus/platform-logging';
import { createMetrics, type Metrics } from '@stratus/platform-metrics';
import { startAdminServer, type AdminServer } from './admin-server';
import { createGrpcServerMetrics } from './grpc-metrics';
import { Readiness, type ReadinessCheck } from './readiness';

/** How often readiness checks are re-evaluated to keep grpc.health.v1 in step with /readyz. */
export const HEALTH_REFRESH_MS = 1_000;

export interface ServiceContext<C extends BaseConfig> {
  readonly name: string;
  readonly config: C;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** For special cases; prefer `addGrpcService`. */
  readonly grpcServer: Server;
  /** Aborted when shutdown begins: long-running loops (watches, leases) should stop. */
  readonly shutdownSignal: AbortSignal;
  /** Serves a service (with per-method call metrics) and reports it in grpc.health.v1 under its full name. */
  addGrpcService(definition: ServiceDefinition, implementation: UntypedServiceImplementation): void;
  /** A named condition that must hold for /readyz and gRPC health to report ready. */
  addReadinessCheck(name: string, check: ReadinessCheck): void;
  /** Runs at shutdown after gRPC has drained, in reverse registration order. */
  onShutdown(name: string, close: () => void | Promise<void>): void;
  /**
   * Runs once the servers are bound, with the real ports (a configured 0 resolved), right after
   * the `ready` line: for work that must announce this process's address, such as registering
   * with the metadata service. Not awaited; a failure is logged and never stops the service.
   */
  onStarted(name: string, hook: (ports: StartedPorts) => void | Promise<void>): void;
}

export interface StartedPorts {
  readonly grpcPort: number;
  readonly adminPort: number;
}

export interface ServiceOptions<C extends BaseConfig> {
  /** Service name: log `service` field, metrics label. */
  readonly name: string;
  readonly configSchema: z.ZodObject & z.ZodType<C>;
  readonly setup?: (context: ServiceContext<C>) => void | Promise<void>;
  readonly env?: NodeJS.ProcessEnv;
  readonly argv?: readonly string[];
  readonly logDestination?: DestinationStream;
}

export interface ShutdownReport {
  /** In-flight gRPC calls had to be cancelled at the end of the grace period. */
  readonly forced: boolean;
  /** Names of shutdown hooks that threw. */
  readonly failedClosers: readonly string[];
}

export interface RunningService<C extends BaseConfig> {
  readonly config: C;
  readonly logger: Logger;
  readonly grpcPort: number;
  readonly adminPort: number;
  /** Idempotent: later calls return the first call's promise. */
  shutdown(reason: string): Promise<ShutdownReport>;
}

/**
 * Starts a Stratus process: config (throws ConfigError), logger, metrics, the app's setup, the
 * gRPC server with grpc.health.v1, the admin HTTP server; then logs `ready` with the bound
 * ports. Process concerns (signals, exit codes) live in `runService`; this part is testable
 * in-process.
 */
export async function startService<C extends BaseConfig>(options: ServiceOptions<C>): Promise<RunningService<C>> {
  const config = loadConfig({
    schema: options.configSchema,
    ...(options.env ? { env: options.env } : {}),
    ...(options.argv ? { argv: options.argv } : {}),
  }) as C;
  const logger = createLogger({
    service: options.name,
    level: config.logLevel,
    bindings: { nodeId: config.nodeId, az: config.az, cell: config.cell },
    ...(options.logDestination ? { destination: options.logDestination } : {}),
  });
  // Start, ready and stop lines are logged even at level warn/error: the `ready` line is how
  // supervisors and tests learn the bound ports, and an operator always wants to see restarts.
  const quieterThanInfo = logger.levelVal > (logger.levels.values['info'] ?? 30) && config.logLevel !== 'silent';
  const lifecycle = quieterThanInfo ? logger.child({}, { level: 'info' }) : logger;
  const metrics = createMetrics({ service: options.name });
  const grpcServer = createGrpcServer({
    maxReceiveMessageBytes: config.grpcMaxMessageBytes,
    maxSendMessageBytes: config.grpcMaxMessageBytes,
  });
  const health = new GrpcHealth();
  health.addToServer(grpcServer);
  const readiness = new Readiness();
  const closers: { name: string; close: () => void | Promise<void> }[] = [];
  const starters: { name: string; hook: (ports: StartedPorts) => void | Promise<void> }[] = [];
  const abort = new AbortController();
  const grpcMetrics = createGrpcServerMetrics(metrics);

  const context: ServiceContext<C> = {
    name: options.name,
    config,
    logger,
    metrics,
    grpcServer,
    shutdownSignal: abort.signal,
    addGrpcService(definition, implementation) {
      const serviceName = serviceNameOf(definition);
      grpcServer.addService(definition, grpcMetrics.instrument(serviceName, definition, implementation));
      health.register(serviceName);
    },
    addReadinessCheck: (name, check) => readiness.add(name, check),
    onShutdown: (name, close) => void closers.push({ name, close }),
    onStarted: (name, hook) => void starters.push({ name, hook }),
  };

  let admin: AdminServer | undefined;
  let grpcPort: number;
  try {
    await options.setup?.(context);
    grpcPort = await bindGrpcServer(grpcServer, config.bindHost, config.grpcPort);
    admin = await startAdminServer({ host: config.bindHost, port: config.adminPort, metrics, readiness, logger });
  } catch (error) {
    grpcServer.forceShutdown();
    await admin?.close();
    await runClosers(closers, logger);
    throw error;
  }

  readiness.markStarted();
  const refreshHealth = async () => {
    const report = await readiness.evaluate();
    if (!readiness.stopping) health.setServing(report.ready);
  };
  await refreshHealth();
  const refreshTimer = setInterval(() => void refreshHealth(), HEALTH_REFRESH_MS);
  refreshTimer.unref();

  const adminPort = admin.port;
  lifecycle.info({ grpcPort, adminPort, bindHost: config.bindHost, grpcHealth: health.status }, 'ready');
  for (const starter of starters) {
    Promise.resolve()
      .then(() => starter.hook({ grpcPort, adminPort }))
      .catch((error: unknown) => logger.error({ err: error, hook: starter.name }, 'start hook failed'));
  }

  let stopping: Promise<ShutdownReport> | undefined;
  const shutdown = (reason: string): Promise<ShutdownReport> => {
    stopping ??= (async () => {
      lifecycle.info({ reason, graceMs: config.shutdownGraceMs }, 'shutting down');
      clearInterval(refreshTimer);
      readiness.markStopping();
      health.setServing(false);
      abort.abort();
      const { forced } = await shutdownGrpcServer(grpcServer, { graceMs: config.shutdownGraceMs });
      if (forced) logger.warn({ graceMs: config.shutdownGraceMs }, 'grace period over: cancelled in-flight gRPC calls');
      await admin?.close();
      const failedClosers = await runClosers(closers, logger);
      lifecycle.info({ forced, failedClosers }, 'stopped');
      return { forced, failedClosers };
    })();
    return stopping;
  };

  return { config, logger, grpcPort, adminPort, shutdown };
}

async function runClosers(
  closers: readonly { name: string; close: () => void | Promise<void> }[],
  logger: Logger,
): Promise<string[]> {
  const failed: string[] = [];
  for (const closer of [...closers].reverse()) {
    try {
      await closer.close();
    } catch (error) {
      failed.push(closer.name);
      logger.error({ err: error, closer: closer.name }, 'shutdown hook failed');
    }
  }
  return failed;
}
