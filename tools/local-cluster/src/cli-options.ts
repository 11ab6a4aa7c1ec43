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
}

export const DEFAULT_KAFKA_PORTS = [9092, 9093, 9094] as const;

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: npm start [-- --fresh] [--data-dir <dir>] [--kafka-ports <a>,<b>,<c>] [--exit-when-ready]';

export function parseCliOptions(argv: readonly string[], cwd: string): LocalClusterOptions {
  let dataDir = resolve(cwd, '.stratus/local');
  let fresh = false;
  let exitWhenReady = false;
  let kafkaPorts: readonly [number, number, number] = DEFAULT_KAFKA_PORTS;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fresh') fresh = true;
    else if (arg === '--exit-when-ready') exitWhenReady = true;
    else if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--data-dir needs a directory\n${USAGE}`);
      dataDir = resolve(cwd, value);
    } else if (arg === '--kafka-ports') {
      kafkaPorts = parseKafkaPorts(argv[++i]);
    } else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown option ${arg}\n${USAGE}`);
  }
  return { dataDir, fresh, exitWhenReady, kafkaPorts };
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
