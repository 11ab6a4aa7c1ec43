// kcat (librdkafka) driver: runs /usr/bin/kcat with the request mapped to its flags. kcat has no
// admin commands, so topic admin scenarios are marked not applicable for it in clients.ts.
import { spawn } from 'node:child_process';
import type { ConsumedRecord, DriverRequest, DriverResult } from '../../src/protocol';
import { recordKey, recordValue, runDriver, until } from '../shared/io';

interface Run {
  stdout: string;
  stderr: string;
  code: number | null;
}

function kcat(req: DriverRequest, args: readonly string[], options: { input?: string; onStdout?: (chunk: string) => void; stopWhen?: () => boolean }): { done: Promise<Run>; kill: () => void } {
  const auth = [
    '-b', req.connection.bootstrap,
    '-X', 'security.protocol=SASL_PLAINTEXT',
    '-X', `sasl.mechanisms=${req.connection.mechanism}`,
    '-X', `sasl.username=${req.connection.username}`,
    '-X', `sasl.password=${req.connection.password}`,
  ];
  const child = spawn('kcat', [...auth, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const run: Run = { stdout: '', stderr: '', code: null };
  child.stdout.on('data', (c: Buffer) => {
    run.stdout += c.toString();
    options.onStdout?.(c.toString());
  });
  child.stderr.on('data', (c: Buffer) => (run.stderr += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), req.timeoutMs);
  child.stdin.end(options.input ?? '');
  const done = new Promise<Run>((resolve) =>
    child.once('exit', (code) => {
      clearTimeout(timer);
      run.code = code;
      resolve(run);
    }),
  );
  return { done, kill: () => child.kill('SIGTERM') };
}

/** kcat's `-f` output format: partition, offset, key, value, one record per line. */
const FORMAT = '%p\t%o\t%k\t%s\n';

function parseRecords(stdout: string, member: number): ConsumedRecord[] {
  return stdout
    .split('\n')
    .filter((line) => line.split('\t').length === 4)
    .map((line) => {
      const [p, o, k, v] = line.split('\t');
      return { p: Number(p), o: o ?? '', k: k ?? '', v: v ?? '', m: member };
    });
}

/**
 * A balanced consumer (`-G`). Two kcat behaviours matter here:
 * - no `-o`: in -G mode kcat applies `-o` to every partition it is assigned, which overrides the
 *   group's committed offsets (a resumed member would start again from the beginning); where a
 *   group has no commit yet, `topic.auto.offset.reset=earliest` starts at the beginning instead.
 * - `-u`: stdout is a pipe, so without it kcat block-buffers the records it prints and the runner
 *   sees the last few kilobytes only when kcat exits — the count it waits for never arrives.
 */
function groupArgs(group: string, topic: string): string[] {
  return ['-G', group, '-u', '-f', FORMAT, '-X', 'topic.auto.offset.reset=earliest', topic];
}

const failure = (what: string, run: Run): DriverResult => ({ ok: false, error: `${what}: kcat exited with ${String(run.code)}: ${run.stderr.trim().split('\n').slice(-5).join(' | ')}` });

async function groupConsume(req: DriverRequest & { group: string }, members: number, expect: number, firstMember: number): Promise<{ records: ConsumedRecord[]; runs: Run[] }> {
  const outputs = Array.from({ length: members }, () => '');
  const count = (): number => outputs.reduce((n, out) => n + out.split('\n').filter((l) => l.split('\t').length === 4).length, 0);
  const procs = outputs.map((_, m) =>
    kcat(req, groupArgs(req.group, req.topic), { onStdout: (c) => (outputs[m] += c) }),
  );
  let timedOut: Error | undefined;
  try {
    await until(() => count() >= expect, req.timeoutMs, () => `consumed ${count()} of ${expect}`);
  } catch (error) {
    timedOut = error as Error;
  } finally {
    // SIGTERM makes kcat close the consumer, which commits the offsets it stored.
    procs.forEach((p) => p.kill());
  }
  const runs = await Promise.all(procs.map((p) => p.done));
  // A member that never got going (e.g. refused login) says why on stderr: name it in the failure.
  if (timedOut) throw new Error(`${timedOut.message}; kcat said: ${runs.map((r, m) => `[${m}] ${r.stderr.trim().split('\n').slice(-2).join(' | ') || '(nothing)'}`).join(' ')}`);
  return { records: runs.flatMap((r, m) => parseRecords(r.stdout, firstMember + m)), runs };
}

async function handle(req: DriverRequest): Promise<DriverResult> {
  switch (req.op) {
    case 'produce': {
      const input = Array.from({ length: req.count }, (_, i) => `${recordKey(i)}\t${recordValue(req.codec, i)}`).join('\n') + '\n';
      const args = ['-P', '-t', req.topic, '-K', '\t', '-z', req.codec, '-X', `enable.idempotence=${String(req.idempotent)}`, '-X', 'acks=all'];
      const run = await kcat(req, args, { input }).done;
      if (run.code !== 0 || /failed|error/i.test(run.stderr)) return failure('produce', run);
      return { ok: true, produced: req.count };
    }
    case 'consume-assign': {
      // Without -G kcat assigns every partition itself; -e exits once all are at their end.
      const run = await kcat(req, ['-C', '-t', req.topic, '-o', 'beginning', '-e', '-f', FORMAT], {}).done;
      if (run.code !== 0) return failure('consume', run);
      return { ok: true, records: parseRecords(run.stdout, 0) };
    }
    case 'consume-group': {
      const { records, runs } = await groupConsume(req, req.members, req.expect, 0).catch((e: Error) => ({ records: [], runs: [{ stdout: '', stderr: e.message, code: null }] }));
      if (records.length === 0) return failure('group consume', runs[0] ?? { stdout: '', stderr: '', code: null });
      return { ok: true, records };
    }
    case 'commit-resume': {
      // -c stops after that many records; closing commits what was consumed (enable.auto.commit with offsets stored on delivery).
      const first = await kcat(req, ['-c', String(req.firstBatch), ...groupArgs(req.group, req.topic)], {}).done;
      if (first.code !== 0) return failure('first consumer', first);
      const firstRecords = parseRecords(first.stdout, 0);
      const rest = await groupConsume(req, 1, req.expect - firstRecords.length, 1);
      return { ok: true, records: [...firstRecords, ...rest.records] };
    }
    case 'auth': {
      const run = await kcat(req, ['-L', '-m', '20', '-t', req.topic], {}).done;
      const refused = run.code !== 0 && /authentication/i.test(run.stderr);
      return { ok: true, refused, error: run.code === 0 ? undefined : run.stderr.trim().split('\n').slice(-3).join(' | ') };
    }
    default:
      return { ok: false, error: `kcat has no ${req.op} command` };
  }
}

void runDriver(handle);
