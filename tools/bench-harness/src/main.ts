// `npm run bench -- --target stratus,kafka --workload 1x16-1kb-max [--out results.json]`
import { CliError, parseCli } from './cli-options';
import { writeResult } from './output';
import { terminalProgress } from './progress';
import { renderMarkdown } from './report';
import { runHarness } from './run';
import { TargetSpecError } from './targets';
import { WorkloadError } from './workload';

async function main(): Promise<number> {
  let options;
  try {
    options = parseCli(process.argv.slice(2));
  } catch (error) {
    if (error instanceof CliError || error instanceof WorkloadError || error instanceof TargetSpecError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const command = `npm run bench -- ${process.argv.slice(2).map((a, i, all) => (all[i - 1] === '--password' ? '***' : a)).join(' ')}`;
  const result = await runHarness({ ...options, command, progress: terminalProgress() });
  process.stdout.write(renderMarkdown(result));
  const out = options.out ?? `bench-results/${result.workload.name}-${result.startedAt.replace(/[:.]/g, '-')}.json`;
  const files = writeResult(result, out);
  process.stdout.write(`\nresults: ${files.json}, ${files.markdown}, ${files.svg}\n`);
  return result.runs.every((r) => r.ok) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`bench harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
