// Command-line options of `npm start` (tools/local-cluster).
import { resolve } from 'node:path';

export interface LocalClusterOptions {
  /** Where etcd, the logs and every node's data live between runs. */
  readonly dataDir: string;
  /** Wipe dataDir before starting. */
  readonly fresh: boolean;
  /** Start, report readiness, then stop again (used by tests and CI smoke checks). */
  readonly exitWhenReady: boolean;
  /** Kafka ports of the routers in AZs a, b, c; the first is the bootstrap address. */
  readonly kafkaPorts: readonly [number, number, number];
  /** Object store of the tiered-storage node (e.g. s3://bucket/?endpoint=...); default a folder under dataDir. */
  readonly objectStoreUrl?: string;
  /** Extra environment per app (`--service-env replication:STRATUS_SEGMENT_BYTES=1048576`), e.g. small segments for tests. */
  readonly serviceEnv?: Readonly<Partial<Record<ServiceApp, Readonly<Record<string, string>>>>>;
}

const SERVICE_APPS = ['router', 'broker', 'metadata', 'replication', 'tiered-storage'] as const;
export type ServiceApp = (typeof SERVICE_APPS)[number];

export const DEFAULT_KAFKA_PORTS = [9092, 9093, 9094] as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: npm start [-- --fresh] [--data-dir <dir>] [--kafka-ports <a>,<b>,<c>] [--object-store-url <url>] [--service-env <app>:<KEY>=<value>]... [--exit-when-ready]';

export function parseCliOptions(argv: readonly string[], cwd: string): LocalClusterOptions {
  let dataDir = resolve(cwd, '.stratus/local');
  let fresh = false;
  let exitWhenReady = false;
  let kafkaPorts: readonly [number, number, number] = DEFAULT_KAFKA_PORTS;
  let objectStoreUrl: string | undefined;
  const serviceEnv: Partial<Record<ServiceApp, Record<string, string>>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fresh') fresh = true;
    else if (arg === '--exit-when-ready') exitWhenReady = true;
    else if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--data-dir needs a directory\n${USAGE}`);
      dataDir = resolve(cwd, value);
    } else if (arg === '--object-store-url') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--object-store-url needs a URL (s3://bucket/prefix or file:///path)\n${USAGE}`);
      objectStoreUrl = value;
    } else if (arg === '--service-env') {
      const value = argv[++i] ?? '';
      const match = /^([a-z-]+):([A-Z][A-Z0-9_]*)=(.*)$/s.exec(value);
      const app = match?.[1] as ServiceApp | undefined;
      if (!match || app === undefined || !SERVICE_APPS.includes(app)) {
        throw new UsageError(`--service-env needs <app>:<KEY>=<value> with app one of ${SERVICE_APPS.join(', ')}\n${USAGE}`);
      }
      serviceEnv[app] = { ...serviceEnv[app], [match[2] as string]: match[3] as string };
    } else if (arg === '--kafka-ports') {
      kafkaPorts = parseKafkaPorts(argv[++i]);
    } else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown option ${arg}\n${USAGE}`);
  }
  return {
    dataDir,
    fresh,
    exitWhenReady,
    kafkaPorts,
    ...(objectStoreUrl !== undefined ? { objectStoreUrl } : {}),
    ...(Object.keys(serviceEnv).length > 0 ? { serviceEnv } : {}),
  };
}

function parseKafkaPorts(value: string | undefined): readonly [number, number, number] {
  const ports = (value ?? '').split(',').map((part) => (/^\d+$/.test(part.trim()) ? Number(part) : NaN));
  const [a, b, c] = ports;
  const valid = (port: number | undefined): port is number => port !== undefined && port >= 1 && port <= 65535;
  if (ports.length !== 3 || !valid(a) || !valid(b) || !valid(c) || new Set(ports).size !== 3) {
    throw new UsageError(`--kafka-ports needs three different TCP ports, e.g. 9092,9093,9094\n${USAGE}`);
  }
  return [a, b, c];
}
