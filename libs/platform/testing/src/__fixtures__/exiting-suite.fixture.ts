// Run by cleanup.int.spec.ts in a separate Jest process: starts a child, reports its pid, then ends
// the whole Jest process abruptly (no afterEach/afterAll run). The watchdog must still kill it and
// remove its temp dir.
import { writeFileSync } from 'node:fs';
import { makeTempDir, ManagedProcess } from '../index';

it('exits the runner while a child is still running', async () => {
  const sleeper = await ManagedProcess.spawn({
    label: 'orphan candidate',
    command: process.execPath,
    args: ['-e', 'setInterval(() => {}, 1000)'],
  });
  const dir = await makeTempDir('orphan-candidate');
  writeFileSync(process.env['STRATUS_FIXTURE_REPORT'] ?? '', JSON.stringify({ pids: [sleeper.pid], dirs: [dir.path] }));
  process.exit(7);
});
