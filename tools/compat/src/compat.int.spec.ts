// The client compatibility suite (issue 8): every client in clients.ts runs every scenario in
// scenarios.ts against ONE cluster, one Jest test per client × scenario, so a failure in one never
// stops the others. Results go to test-results/compat/ and the matrix in docs/compatibility.md.
// Options (environment; tools/compat/run-compat.mjs maps --against/--full/--clients onto them):
//   COMPAT_TARGET=stratus|kafka  COMPAT_FULL=1 (100k records per codec)  COMPAT_CLIENTS=id,id
//   COMPAT_MERGE=1 (with COMPAT_CLIENTS: fold this subset into the complete results and the page)
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useHarness, workspaceRoot } from '@stratus/platform-testing';
import { CLIENTS, type DriverCommand } from './clients';
import { mergeSuites, replaceMatrix, type ScenarioResult, type SuiteResults } from './matrix';
import type { DriverRequest } from './protocol';
import { runDriver } from './run-driver';
import { SCENARIOS, type SuiteOptions } from './scenarios';
import { startTarget, targetKindFromEnv, type Target } from './target';
import { verifyResult } from './verify';

useHarness();

const targetKind = targetKindFromEnv(process.env['COMPAT_TARGET']);
const full = process.env['COMPAT_FULL'] === '1';
const options: SuiteOptions = { records: full ? 100_000 : 1_000, partitions: 3 };
const onlyClients = (process.env['COMPAT_CLIENTS'] ?? '').split(',').filter((c) => c.length > 0);
const clients = onlyClients.length > 0 ? CLIENTS.filter((c) => onlyClients.includes(c.id)) : CLIENTS;
if (clients.length === 0) throw new Error(`COMPAT_CLIENTS names no known client (known: ${CLIENTS.map((c) => c.id).join(', ')})`);
/**
 * The whole matrix takes ~20 minutes on a small shared machine; --merge lets it be built one or two
 * clients at a time, each subset replacing its own columns of the complete results.
 */
const merge = process.env['COMPAT_MERGE'] === '1' && onlyClients.length > 0;
/** Per driver call; generous because the machine is small and shared. */
const driverTimeoutMs = Number(process.env['COMPAT_TIMEOUT_MS'] ?? (full ? 900_000 : 75_000));
const TEST_TIMEOUT = driverTimeoutMs + 120_000;

const results: ScenarioResult[] = [];
let target: Target | undefined;
let targetError: Error | undefined;

function request(op: ReturnType<(typeof SCENARIOS)[number]['request']>, password?: string): DriverRequest {
  if (!target) throw new Error(`no target cluster: ${targetError?.message ?? 'not started'}`);
  return { ...op, connection: { ...target.connection, password: password ?? target.connection.password }, timeoutMs: driverTimeoutMs };
}

/** Jest prints a file's results only at its end; this file shows a long run's progress as it goes. */
function progress(line: string): void {
  const dir = join(workspaceRoot(), 'test-results', 'compat');
  mkdirSync(dir, { recursive: true });
  appendFileSync(join(dir, `progress-${targetKind}.log`), `${new Date().toISOString()} ${line.slice(0, 600)}\n`);
}

function writeResults(): void {
  if (!target) return;
  target.saveLogs?.();
  const suite: SuiteResults = {
    target: target.kind,
    description: target.description,
    recordsPerCodec: options.records,
    finishedAt: new Date().toISOString(),
    clients: clients.map((c) => ({ id: c.id, label: c.label })),
    scenarios: SCENARIOS.map((s) => ({ id: s.id, title: s.title })),
    results,
  };
  const dir = join(workspaceRoot(), 'test-results', 'compat');
  mkdirSync(dir, { recursive: true });
  const complete = join(dir, `results${target.kind === 'stratus' ? '' : '-kafka'}.json`);
  // A subset run (--clients) never overwrites a complete run's results, unless asked to merge.
  if (onlyClients.length > 0) writeFileSync(complete.replace(/\.json$/, '-subset.json'), JSON.stringify(suite, null, 2) + '\n');
  if (onlyClients.length > 0 && !merge) return;
  const base = merge && existsSync(complete) ? (JSON.parse(readFileSync(complete, 'utf8')) as SuiteResults) : undefined;
  const merged = merge ? mergeSuites(base, suite, CLIENTS.map((c) => c.id)) : suite;
  writeFileSync(complete, JSON.stringify(merged, null, 2) + '\n');
  // The committed matrix only ever shows every client, at the default or full size.
  const missing = CLIENTS.filter((c) => !merged.clients.some((m) => m.id === c.id));
  if (missing.length > 0) {
    progress(`matrix not written: no results yet for ${missing.map((c) => c.id).join(', ')}`);
    return;
  }
  const docs = join(workspaceRoot(), 'docs', 'compatibility.md');
  writeFileSync(docs, replaceMatrix(readFileSync(docs, 'utf8'), merged));
}

beforeAll(async () => {
  try {
    target = await startTarget(targetKind);
  } catch (error) {
    targetError = error as Error;
  }
}, 720_000);

afterAll(async () => {
  writeResults();
  await target?.stop();
}, 120_000);

describe.each(clients.map((c) => [c.id, c] as const))('%s', (_id, client) => {
  let driver: DriverCommand | undefined;
  let prepareError: Error | undefined;
  const topic = `compat-${client.id}`;
  const group = `compat-${client.id}`;

  beforeAll(async () => {
    try {
      driver = await client.prepare();
      const kafkajs = CLIENTS.find((c) => c.id === 'kafkajs');
      if (client.notApplicable['create-topic'] && kafkajs && target) {
        // A client without admin commands still needs its topic; kafkajs makes it, and the
        // kafkajs column shows whether that works.
        await runDriver(await kafkajs.prepare(), request({ op: 'create-topic', topic, partitions: options.partitions }));
      }
    } catch (error) {
      const e = error as Error & { output?: string; stderr?: string };
      prepareError = new Error(`could not prepare ${client.label}: ${e.message} ${(e.stderr ?? e.output ?? '').slice(-1500)}`);
    }
  }, 900_000);

  for (const scenario of SCENARIOS) {
    const notApplicable = client.notApplicable[scenario.id];
    if (notApplicable) {
      // Not a test: the client has no API for it. The matrix says so with the reason.
      results.push({ client: client.id, scenario: scenario.id, outcome: 'n/a', reason: notApplicable, durationMs: 0 });
      continue;
    }
    it(
      scenario.title,
      async () => {
        const started = Date.now();
        let reason: string | undefined;
        try {
          if (prepareError) throw prepareError;
          if (!driver) throw new Error('driver not prepared');
          const op = scenario.request({ topic, group, codecs: client.codecs }, options);
          const wrong = op.op === 'auth' ? `${target?.connection.password ?? ''}-wrong` : undefined;
          const result = await runDriver(driver, request(op, wrong));
          reason = verifyResult(scenario, op, result, client.codecs, options.records);
        } catch (error) {
          reason = (error as Error).message;
        }
        results.push({ client: client.id, scenario: scenario.id, outcome: reason ? 'fail' : 'pass', ...(reason ? { reason } : {}), durationMs: Date.now() - started });
        // Written after every test, so a run cut short still leaves its results and matrix.
        writeResults();
        progress(`${client.id} / ${scenario.id}: ${reason ? `FAIL ${reason}` : 'pass'} (${Date.now() - started} ms)`);
        if (reason) throw new Error(`${client.label} / ${scenario.title}: ${reason}`);
      },
      TEST_TIMEOUT,
    );
  }
});
