// Command-line options of `npm start` (tools/local-cluster).
import { resolve } from 'node:path';

export interface LocalClusterOptions {
  /** Where etcd, the logs and every node's data live between runs. */
  readonly dataDir: string;
  /** Wipe dataDir before starting. */
  readonly fresh: boolean;
  /** Start, report readiness, then stop again (used by tests and CI smoke checks). */
  readonly exitWhenReady: boolean;
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const USAGE = 'usage: npm start [-- --fresh] [--data-dir <dir>] [--exit-when-ready]';

export function parseCliOptions(argv: readonly string[], cwd: string): LocalClusterOptions {
  let dataDir = resolve(cwd, '.stratus/local');
  let fresh = false;
  let exitWhenReady = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--fresh') fresh = true;
    else if (arg === '--exit-when-ready') exitWhenReady = true;
    else if (arg === '--data-dir') {
      const value = argv[++i];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--data-dir needs a directory\n${USAGE}`);
      dataDir = resolve(cwd, value);
    } else if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    else throw new UsageError(`unknown option ${arg}\n${USAGE}`);
  }
  return { dataDir, fresh, exitWhenReady };
}
