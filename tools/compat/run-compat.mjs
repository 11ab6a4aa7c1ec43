#!/usr/bin/env node
// `npx nx run compat:compat [--against kafka] [--full] [--clients kafkajs,kcat [--merge]]`: maps the flags onto
// the suite's environment and runs it with Jest (so the results reporter counts it like any target).
// `--against`, not `--target`: `nx run` takes `--target` as its own option (the target to run) and
// never forwards it, so `nx run compat:compat --target kafka` silently ran against Stratus.
// `--target` still works when this file is run with node directly.
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=');
  const value = () => inline ?? args[++i];
  if (flag === '--against' || flag === '--target') env.COMPAT_TARGET = value();
  else if (flag === '--full') env.COMPAT_FULL = '1';
  else if (flag === '--clients') env.COMPAT_CLIENTS = value();
  else if (flag === '--merge') env.COMPAT_MERGE = '1';
  else if (flag === '--timeout-ms') env.COMPAT_TIMEOUT_MS = value();
  else {
    console.error(`unknown option ${args[i]}; use --against stratus|kafka, --full, --clients a,b, --merge, --timeout-ms N`);
    process.exit(2);
  }
}
if (env.COMPAT_MERGE && !env.COMPAT_CLIENTS) {
  console.error('--merge folds a --clients subset into the complete results; name the clients');
  process.exit(2);
}
// Said first, so a run against the wrong cluster is noticed at once rather than after 20 minutes.
console.log(`compat suite against ${env.COMPAT_TARGET || 'stratus'}${env.COMPAT_CLIENTS ? ` (clients ${env.COMPAT_CLIENTS}${env.COMPAT_MERGE ? ', merged' : ''})` : ''}`);
const jest = spawnSync('npx', ['jest', '-c', 'tools/compat/jest.compat.config.js', '--runInBand', '--ci'], { stdio: 'inherit', env });
process.exit(jest.status ?? 1);
