import { hostname } from 'node:os';
import { bytes, durationMs, httpUrl, integer, list, oneOf, port, text } from './fields';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** See `v8HeapGrowingPercent` below. */
const DEFAULT_V8_HEAP_GROWING_PERCENT = 200;

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
    /**
     * V8's heap growing factor as a percentage (V8's --heap-growing-percent): the old generation may
     * grow to (1 + p/100) times what survived the last mark-compact before the next one starts.
     * V8's own dynamic factor gives a heap of a few tens of MB a limit only 8-23 MB above what
     * survived, less than the young generation, so under load it starts the next incremental
     * mark-compact as soon as the last one ends. 200 (a factor of 3, inside V8's own 1.1-4 range)
     * stops that; 0 keeps V8's sizing. Measured in docs/benchmarks/2026-11-30-gc-heap-growing.md.
     */
    v8HeapGrowingPercent: integer({ min: 0, max: 1000, describe: 'a percentage' }).default(DEFAULT_V8_HEAP_GROWING_PERCENT),
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
  readonly v8HeapGrowingPercent: number;
}
