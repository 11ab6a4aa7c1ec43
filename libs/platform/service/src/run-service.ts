import { constants } from 'node:os';
import { ConfigError, type BaseConfig } from '@stratus/platform-config';
import type { Logger } from '@stratus/platform-logging';
import { startService, type RunningService, type ServiceOptions } from './start-service';
import { applyV8HeapGrowingPercent } from './v8-heap-growing';

/** Exit status for a configuration error: a usage error, not a crash (sysexits EX_USAGE is 64; 2 is the shell convention). */
export const EXIT_CONFIG_ERROR = 2;
export const EXIT_FAILURE = 1;

const SIGNALS = ['SIGTERM', 'SIGINT'] as const;

/**
 * Process entry point of every app. Exit codes: 0 after a clean shutdown on SIGTERM/SIGINT;
 * 2 on bad configuration (one line on stderr naming the key, no stack trace); 1 when startup or
 * the running process fails; 128+n when a second signal n cuts the drain short.
 */
export function runService<C extends BaseConfig>(options: ServiceOptions<C>): void {
  let logger: Logger | undefined;
  let running: RunningService<C> | undefined;
  let pendingSignal: NodeJS.Signals | undefined;
  let shuttingDown = false;

  const die = (message: string, error: unknown): never => {
    if (logger) logger.fatal({ err: error }, message);
    else process.stderr.write(`${options.name}: ${message}: ${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(EXIT_FAILURE);
  };

  process.on('uncaughtException', (error) => die('uncaught exception', error));
  process.on('unhandledRejection', (reason) => die('unhandled promise rejection', reason));

  const beginShutdown = (signal: NodeJS.Signals) => {
    if (!running) return;
    shuttingDown = true;
    running.shutdown(signal).then(
      () => process.exit(0),
      (error: unknown) => die('shutdown failed', error),
    );
  };

  for (const signal of SIGNALS) {
    process.on(signal, () => {
      if (shuttingDown) {
        // An operator pressing Ctrl-C twice, or a supervisor that lost patience: stop now.
        logger?.warn({ signal }, 'second signal: exiting without waiting for the drain');
        process.exit(128 + (constants.signals[signal] ?? 0));
      }
      if (running) beginShutdown(signal);
      else pendingSignal ??= signal;
    });
  }

  startService(options).then(
    (service) => {
      running = service;
      logger = service.logger;
      // Here and not in startService: a process-wide V8 setting belongs to the process entry point,
      // not to services started inside a test runner.
      const heapFlag = applyV8HeapGrowingPercent(service.config.v8HeapGrowingPercent);
      if (heapFlag) logger.info({ flag: heapFlag }, 'V8 heap growing factor set');
      if (pendingSignal) beginShutdown(pendingSignal);
    },
    (error: unknown) => {
      if (error instanceof ConfigError) {
        process.stderr.write(`${options.name}: ${error.message}\n`);
        process.exit(EXIT_CONFIG_ERROR);
      }
      die('startup failed', error);
    },
  );
}
