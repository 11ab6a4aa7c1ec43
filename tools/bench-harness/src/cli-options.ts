// Command-line parsing for `npm run bench`. Bad input is a CliError with a usage hint, never a crash.
import { parseArgs } from 'node:util';
import { parseTargets, type TargetSpec } from './targets';
import { loadWorkload, parseByteSize, type Workload } from './workload';

export const USAGE = `usage: npm run bench -- --target stratus,kafka[,kafka-rf1,bootstrap:<host:port>] --workload <name|file>
         [--out results.json] [--duration <s>] [--rounds <n>] [--no-e2e] [--catchup-bytes <n|256MiB|1GiB>]
         [--bootstrap <host:port> --username <u> --password <p> [--data-dir <dir>]]   (an existing Stratus cluster)
workloads: tools/bench-harness/workloads/*.json`;

export class CliError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = 'CliError';
  }
}

export interface CliOptions {
  readonly targets: readonly TargetSpec[];
  readonly workload: Workload;
  readonly out?: string;
  readonly rounds: number;
  readonly endToEnd: boolean;
}

export function parseCli(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        target: { type: 'string' },
        workload: { type: 'string' },
        out: { type: 'string' },
        duration: { type: 'string' },
        rounds: { type: 'string' },
        'no-e2e': { type: 'boolean' },
        bootstrap: { type: 'string' },
        username: { type: 'string' },
        password: { type: 'string' },
        'data-dir': { type: 'string' },
        'catchup-bytes': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  if (!values.target) throw new CliError('--target is required');
  if (!values.workload) throw new CliError('--workload is required');
  const targets = parseTargets(values.target, {
    ...(values.bootstrap ? { bootstrap: values.bootstrap } : {}),
    ...(values.username ? { username: values.username } : {}),
    ...(values.password ? { password: values.password } : {}),
    ...(values['data-dir'] ? { dataDir: values['data-dir'] } : {}),
  });
  let workload = loadWorkload(values.workload);
  if (values.duration !== undefined) {
    const seconds = Number(values.duration);
    if (!Number.isInteger(seconds) || seconds < 1 || seconds > 86_400) throw new CliError(`--duration must be whole seconds in 1..86400, got "${values.duration}"`);
    workload = { ...workload, durationSeconds: seconds };
  }
  if (values['catchup-bytes'] !== undefined) {
    if (workload.mode !== 'catch-up') throw new CliError(`--catchup-bytes applies to catch-up workloads only; ${workload.name} is ${workload.mode}`);
    const bytes = parseByteSize(values['catchup-bytes']);
    if (bytes === undefined || bytes < workload.messageSize) throw new CliError(`--catchup-bytes must be a size of at least one message (${workload.messageSize} B), e.g. 268435456, 256MiB or 1GiB; got "${values['catchup-bytes']}"`);
    workload = { ...workload, catchUpBytes: bytes };
  }
  const rounds = values.rounds === undefined ? 1 : Number(values.rounds);
  if (!Number.isInteger(rounds) || rounds < 1 || rounds > 20) throw new CliError(`--rounds must be 1..20, got "${values.rounds}"`);
  return { targets, workload, ...(values.out ? { out: values.out } : {}), rounds, endToEnd: values['no-e2e'] !== true };
}
