import { hostname } from 'node:os';
import { bytes, durationMs, httpUrl, list, oneOf, port, text } from './fields';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BaseConfigDefaults {
  readonly grpcPort: number;
  readonly adminPort: number;
}

/**
 * Keys every Stratus service understands. Spread into an app's `z.object({...})` and add the
 * app's own keys. Each service gets its own default ports so a local run of all five needs no
 * configuration; 0 means "any free port" (the bound port is logged in the `ready` line).
 */
export function baseConfigShape(defaults: BaseConfigDefaults) {
  return {
    /** Stable identity of this process in the cluster (pod name on Kubernetes). */
    nodeId: text({ describe: 'a non-empty node id' }).default(hostname()),
    /** Availability zone; replica placement spreads over 3 of them. */
    az: text({ describe: 'a non-empty availability zone name' }).default('az-1'),
    /** Cell this process belongs to (a group of brokers and replication nodes over 3 AZs). */
    cell: text({ describe: 'a non-empty cell name' }).default('cell-1'),
    /** Address the gRPC and admin servers bind to; 0.0.0.0 inside a container. */
    bindHost: text({ describe: 'a host name or IP address to bind' }).default('127.0.0.1'),
    grpcPort: port().default(defaults.grpcPort),
    /** HTTP port serving /healthz, /readyz and /metrics. */
    adminPort: port().default(defaults.adminPort),
    logLevel: oneOf(LOG_LEVELS).default('info'),
    /** How long SIGTERM waits for in-flight calls before cancelling them (Kubernetes default grace is 30 s). */
    shutdownGraceMs: durationMs({ max: 10 * 60 * 1000 }).default(10_000),
    /** Largest gRPC message sent or received; record batches travel as single messages. */
    grpcMaxMessageBytes: bytes({ min: 1024, max: 2 ** 31 - 1 }).default(64 * 1024 * 1024),
  };
}

/** etcd client endpoints, e.g. `http://127.0.0.1:2379,http://10.0.0.2:2379`. */
export function etcdEndpoints() {
  return list(httpUrl(), { describe: 'a comma-separated list of etcd http(s) URLs' });
}

/** The typed keys every service config has (what `baseConfigShape` produces). */
export interface BaseConfig {
  readonly nodeId: string;
  readonly az: string;
  readonly cell: string;
  readonly bindHost: string;
  readonly grpcPort: number;
  readonly adminPort: number;
  readonly logLevel: LogLevel;
  readonly shutdownGraceMs: number;
  readonly grpcMaxMessageBytes: number;
}
