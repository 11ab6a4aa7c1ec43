// The real `stratus` CLI (bin/stratus.js, as npx runs it) as a child process against a real
// metadata service on a real etcd: tenant and key lifecycle, credentials that verify and stop
// verifying once revoked, --json for scripts, and one-line errors with non-zero exits.
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { makeTempDir, startApp, startEtcd, useHarness, workspaceRoot, type AppHandle } from '@stratus/platform-testing';

jest.setTimeout(240_000);

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

const BIN = join(workspaceRoot(), 'tools', 'cli', 'bin', 'stratus.js');

function stratus(args: readonly string[], options: { cwd: string; env?: Record<string, string> }): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [BIN, ...args],
      { cwd: options.cwd, env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...options.env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

function expectOneLineError(run: Run, code: number, pattern: RegExp): void {
  expect(run.code).toBe(code);
  expect(run.stdout).toBe('');
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(run.stderr).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('stratus CLI against a real metadata service', () => {
  useHarness();
  let metadata: AppHandle;
  let cwd: string;
  let client: metadataV1.MetadataServiceClient;
  const cli = (...args: string[]) => stratus(['--metadata', metadata.grpcAddress, ...args], { cwd });

  const verify = (username: string, password: string) =>
unaryCall(client, client.verifyPlainCredential, { username, password }, { timeoutMs: 10_000 });

  beforeAll(async () => {
    const etcd = await startEtcd();
    metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    client = createGrpcClient(metadataV1.MetadataServiceClient, metadata.grpcAddress);
    // An empty working directory: no cluster.json above it unless a test writes one.
    cwd = (await makeTempDir('stratus-cli')).path;
  });
  afterAll(() => client.close());

  it('tenants create acme → api-keys create acme → the credential verifies → revoke → it no longer does', async () => {
    const created = await cli('tenants', 'create', 'acme', '--label', 'plan=pro', '--max-topics', '50');
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^Tenant acme created: id lkc-[a-z0-9]+, cell \S+\n$/);

    const key = await cli('api-keys', 'create', 'acme', '--description', 'ci', '--json');
    expect(key).toMatchObject({ code: 0, stderr: '' });
    const { keyId, secret, tenant, state } = JSON.parse(key.stdout) as { keyId: string; secret: string; tenant: string; state: string };
    expect(tenant).toBe('acme');
    expect(state).toBe('ACTIVE');
    expect(await verify(keyId, secret)).toMatchObject({ authenticated: true, keyId });

    const listed = await cli('api-keys', 'list', 'acme');
    expect(listed.stdout).toMatch(new RegExp(`^${keyId}\\s+ACTIVE\\s+\\S+\\s+no\\s+ci$`, 'm'));
    // --super-user keys bypass the tenant's ACLs; the flag is stored and listed.
    const admin = await cli('api-keys', 'create', 'acme', '--super-user', '--description', 'admin', '--json');
    expect(JSON.parse(admin.stdout)).toMatchObject({ superUser: true, tenant: 'acme' });
    const adminId = (JSON.parse(admin.stdout) as { keyId: string }).keyId;
    expect((await cli('api-keys', 'list', 'acme')).stdout).toMatch(new RegExp(`^${adminId}\\s+ACTIVE\\s+\\S+\\s+yes\\s+admin$`, 'm'));
    // The secret is printed once, at creation; listings never show it.
    expect(listed.stdout).not.toContain(secret);

    const revoked = await cli('api-keys', 'revoke', 'acme', keyId);
    expect(revoked).toMatchObject({ code: 0, stderr: '' });
    expect(revoked.stdout).toContain(`API key ${keyId} of tenant acme revoked`);
    expect((await verify(keyId, secret)).authenticated).toBe(false);
    expectOneLineError(await cli('api-keys', 'revoke', 'acme', keyId), 1, /^stratus: API key \S+ not found$/m);
  });

  it('--json output parses; quotas get/set and tenants describe/list agree', async () => {
    await cli('tenants', 'create', 'globex');
    const set = await cli('quotas', 'set', 'globex', '--produce-bytes-per-second', '5MiB', '--max-partitions', '0', '--json');
    expect(set.code).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ tenant: 'globex', configured: { 'produce-bytes-per-second': 5 * 2 ** 20, 'max-partitions': 0 } });
    const unset = await cli('limits', 'set', 'globex', '--unset', 'max-partitions', '--json');
    expect(JSON.parse(unset.stdout)).toMatchObject({ configured: {} });
    const got = JSON.parse((await cli('quotas', 'get', 'globex', '--json')).stdout) as { configured: Record<string, number>; effective: Record<string, number> };
    expect(got.configured).toEqual({ 'produce-bytes-per-second': 5 * 2 ** 20 });
    expect(got.effective['max-partitions']).toBeGreaterThan(0);
    const human = await cli('quotas', 'get', 'globex');
    expect(human.stdout).toMatch(/^produce-bytes-per-second\s+5 MiB\/s\s+5 MiB\/s$/m);

    const tenants = JSON.parse((await cli('tenants', 'list', '--json')).stdout) as { name: string; labels: Record<string, string> }[];
    expect(tenants.map((t) => t.name)).toEqual(expect.arrayContaining(['acme', 'globex']));
    expect(tenants.find((t) => t.name === 'acme')?.labels).toEqual({ plan: 'pro' });
    const described = JSON.parse((await cli('tenants', 'describe', 'acme', '--json')).stdout) as { usage: { topics: number }; configuredQuotas: object };
    // The first test revoked its `ci` key but left the super-user `admin` key active.
    expect(described).toMatchObject({ usage: { topics: 0, partitions: 0, apiKeys: 1 }, configuredQuotas: { 'max-topics': 50 } });
    expect(JSON.parse((await cli('topics', 'list', 'acme', '--json')).stdout)).toEqual([]);

    const status = JSON.parse((await cli('status', '--json')).stdout) as { nodes: unknown[]; incompletePartitions: unknown[]; tieringLag: null };
    expect(status).toMatchObject({ incompletePartitions: [], tieringLag: null });
    expect((await cli('status')).stdout).toContain('Tiering lag: n/a');

    const suspended = await cli('tenants', 'update', 'globex', '--state', 'suspended', '--json');
    expect(JSON.parse(suspended.stdout)).toMatchObject({ name: 'globex', state: 'SUSPENDED' });
    const deleted = await cli('tenants', 'delete', 'globex');
    expect(deleted).toMatchObject({ code: 0, stderr: '' });
    expectOneLineError(await cli('tenants', 'describe', 'globex'), 1, /^stratus: tenant "globex" not found$/m);
  });

  it('bad input, unknown tenants and an unreachable service: one line on stderr, non-zero exit', async () => {
    expectOneLineError(await cli('tenants', 'create'), 2, /missing <name>/);
    expectOneLineError(await cli('tenants', 'create', 'bad name!'), 1, /^stratus: Tenant names are 1-64 characters/);
    expectOneLineError(await cli('tenants', 'create', 'acme'), 1, /already exists/);
    expectOneLineError(await cli('quotas', 'set', 'acme', '--max-topics', 'lots'), 2, /--max-topics: expected a non-negative integer/);
    expectOneLineError(await cli('api-keys', 'create', 'nobody'), 1, /^stratus: tenant "nobody" not found$/m);
    expectOneLineError(await cli('topics', 'describe', 'acme', 'missing'), 1, /topic "missing" not found in tenant acme/);
    expectOneLineError(await stratus(['--metadata', '127.0.0.1:1', 'tenants', 'list'], { cwd }), 1, /cannot reach the metadata service at 127\.0\.0\.1:1 \(connection refused\)/);
  });

  it('finds the metadata address in .stratus/local/cluster.json when --metadata is not given', async () => {
    const project = (await makeTempDir('stratus-cli-project')).path;
    mkdirSync(join(project, '.stratus', 'local'), { recursive: true });
    writeFileSync(join(project, '.stratus', 'local', 'cluster.json'), JSON.stringify({ bootstrap: '127.0.0.1:9092', metadataAddress: metadata.grpcAddress }));
    const sub = join(project, 'some', 'dir');
    mkdirSync(sub, { recursive: true });
    const listed = await stratus(['tenants', 'list'], { cwd: sub });
    expect(listed).toMatchObject({ code: 0, stderr: '' });
    expect(listed.stdout).toMatch(/^acme\s+lkc-/m);
  });
});
