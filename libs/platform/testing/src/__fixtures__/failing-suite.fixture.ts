// Run by cleanup.int.spec.ts in a separate Jest process: starts resources through the harness,
// reports what it started, then fails. Nothing it started may outlive it.
import { writeFileSync } from 'node:fs';
import { ManagedProcess, makeTempDir, startEtcd, useHarness } from '../index';

useHarness();

it('fails after starting an etcd, a child process and a temp dir', async () => {
  const etcd = await startEtcd();
  const sleeper = await ManagedProcess.spawn({
    label: 'sleeper',
    command: process.execPath,
    // Ignores SIGTERM, so cleanup has to escalate to SIGKILL.
    args: ['-e', "process.on('SIGTERM', () => {}); setInterval(() => {}, 1000)"],
  });
  const dir = await makeTempDir('fixture');
  const report = process.env['STRATUS_FIXTURE_REPORT'] ?? '';
  writeFileSync(report, JSON.stringify({ pids: [etcd.process.pid, sleeper.pid], dirs: [etcd.dataDir, dir.path] }));
  throw new Error('simulated test failure');
});
