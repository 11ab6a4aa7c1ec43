#!/usr/bin/env node
// `npx nx run compat:compat [--target kafka] [--full] [--clients kafkajs,kcat [--merge]]`: maps the flags onto
// the suite's environment and runs it with Jest (so the results reporter counts it like any target).
import { spawnSync } from 'node:child_process';

const args = process.argv.slice(2);
const env = { ...process.env };
for (let i = 0; i < args.length; i++) {
  const [flag, inline] = args[i].split('=');
  const value = () => inline ?? args[++i];
  if (flag === '--target') env.COMPAT_TARGET = value();
  else if (flag === '--full') env.COMPAT_FULL = '1';
  else if (flag === '--clients') env.COMPAT_CLIENTS = value();
  else if (flag === '--merge') env.COMPAT_MERGE = '1';
  else if (flag === '--timeout-ms') env.COMPAT_TIMEOUT_MS = value();
  else {
    console.error(`unknown option ${args[i]}; use --target stratus|kafka, --full, --clients a,b, --merge, --timeout-ms N`);
    process.exit(2);
  }
}
if (env.COMPAT_MERGE && !env.COMPAT_CLIENTS) {
  console.error('--merge folds a --clients subset into the complete results; name the clients');
  process.exit(2);
}
const jest = spawnSync('npx', ['jest', '-c', 'tools/compat/jest.compat.config.js', '--runInBand', '--ci'], { stdio: 'inherit', env });
process.exit(jest.status ?? 1);
