// runCli without a network: help, usage errors and a missing metadata address all end with one
// line and the documented exit code.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors';
import { runCli } from './run';

describe('runCli', () => {
  let cwd: string;
  beforeAll(() => {
    cwd = mkdtempSync(join(tmpdir(), 'stratus-cli-run-'));
  });
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(argv, { out: (t) => (out += t), err: (t) => (err += t), env: {}, cwd });
    return { code, out, err };
  }

  it('prints help on stdout with exit 0', async () => {
    const r = await run('--help');
    expect(r).toMatchObject({ code: EXIT_OK, err: '' });
    expect(r.out).toContain('Usage: stratus <command>');
  });

  it.each([
    [['tenants', 'create'], /^stratus: tenants create <name>: missing <name>\n$/],
    [['quotas', 'set', 'acme', '--max-topics', '-3'], /^stratus: quotas set <tenant>: .*--max-topics/],
    [['tenants', 'list', '--metadata', 'nohost'], /^stratus: --metadata: expected host:port, got "nohost"\n$/],
  ])('usage error %j: one line on stderr, exit 2', async (argv, message) => {
    const r = await run(...argv);
    expect(r.code).toBe(EXIT_USAGE);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });

  it('explains a missing metadata address in one line, exit 1', async () => {
    const r = await run('tenants', 'list');
    expect(r.code).toBe(EXIT_FAILED);
    expect(r.err).toMatch(/^stratus: no metadata address: pass --metadata host:port/);
    expect(r.err.trimEnd().split('\n')).toHaveLength(1);
  });
});
