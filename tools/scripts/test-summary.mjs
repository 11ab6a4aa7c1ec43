#!/usr/bin/env node
// Adds up the per-run Jest summaries in test-results/jest/ (written by tools/jest/results-reporter.js)
// and prints one closing line (after the name and first lines of each failed test): "Tests: N passed, N failed, N skipped". Exits non-zero when any run
// failed or when no test ran at all, so a green `npm test` always means tests really ran.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(process.cwd(), 'test-results', 'jest');
const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
for (const file of files.sort()) {
  const run = JSON.parse(readFileSync(join(dir, file), 'utf8'));
  passed += run.passed;
  failed += run.failed;
  skipped += run.skipped;
  if (!run.success) {
    failures.push(`  FAILED ${run.displayName}: ${run.failed} failed test(s), ${run.failedSuites} failed suite(s)`);
    for (const { test, reason } of run.failedTests ?? []) failures.push(`    ✕ ${test}: ${reason}`);
  }
}
console.log(`\nJest runs: ${files.length}`);
for (const failure of failures) console.log(failure);
console.log(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failures.length > 0 || failed > 0 || passed === 0 ? 1 : 0);
