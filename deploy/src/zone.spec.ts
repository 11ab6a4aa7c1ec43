// The image's zone plumbing, run for real: resolve-zone.mjs against a local HTTP server playing
// the Kubernetes API, and entrypoint.mjs exporting the resolved zone to the service.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, IncomingMessage, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DOCKER_DIR = join(__dirname, '..', 'docker');

function run(script: string, env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: { PATH: process.env['PATH'] ?? '', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('resolve-zone.mjs', () => {
  let dir: string;
  let server: Server;
  let url: string;
  const seen: IncomingMessage[] = [];
  const nodes: Record<string, unknown> = {
    'node-a': { metadata: { name: 'node-a', labels: { 'topology.kubernetes.io/zone': 'eu-west-1b' } } },
    'node-b': { metadata: { name: 'node-b', labels: {} } },
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-zone-'));
    writeFileSync(join(dir, 'token'), 'sa-token\n');
    server = createServer((req, res) => {
      seen.push(req);
      const name = /^\/api\/v1\/nodes\/([^/]+)$/.exec(req.url ?? '')?.[1];
      if (req.headers.authorization !== 'Bearer sa-token') {
        res.writeHead(401).end('unauthorized');
      } else if (name && nodes[name]) {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(nodes[name]));
      } else {
        res.writeHead(404).end('not found');
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const env = (node: string, out: string): Record<string, string> => ({
    NODE_NAME: node,
    STRATUS_AZ_FILE: out,
    STRATUS_K8S_API_URL: url,
    STRATUS_K8S_TOKEN_FILE: join(dir, 'token'),
    STRATUS_K8S_CA_FILE: join(dir, 'no-ca'),
    STRATUS_ZONE_ATTEMPTS: '2',
  });

  it('writes the node zone label with the service account token', async () => {
    const out = join(dir, 'az-a');
    const result = await run(join(DOCKER_DIR, 'resolve-zone.mjs'), env('node-a', out));
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('eu-west-1b\n');
    expect(seen.at(-1)?.url).toBe('/api/v1/nodes/node-a');
  });

  it('fails naming the node when the zone label is missing', async () => {
    const result = await run(join(DOCKER_DIR, 'resolve-zone.mjs'), env('node-b', join(dir, 'az-b')));
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('resolve-zone: node node-b has no label topology.kubernetes.io/zone\n');
  });

  it('fails without retrying forever when the node does not exist', async () => {
    const result = await run(join(DOCKER_DIR, 'resolve-zone.mjs'), env('ghost', join(dir, 'az-c')));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/cannot read node ghost: GET \/api\/v1\/nodes\/ghost answered 404/);
  });

  it('fails clearly when NODE_NAME is missing', async () => {
    const result = await run(join(DOCKER_DIR, 'resolve-zone.mjs'), { STRATUS_AZ_FILE: join(dir, 'x') });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('NODE_NAME is not set');
  });
});

describe('entrypoint.mjs', () => {
  let app: string;
  beforeAll(() => {
    // A stand-in for the bundled service that reports the zone it was given.
    app = mkdtempSync(join(tmpdir(), 'stratus-entry-'));
    copyFileSync(join(DOCKER_DIR, 'entrypoint.mjs'), join(app, 'entrypoint.mjs'));
    writeFileSync(join(app, 'main.js'), 'process.stdout.write(`az=${process.env.STRATUS_AZ}`);\n');
    writeFileSync(join(app, 'az'), 'eu-west-1c\n');
    writeFileSync(join(app, 'empty'), '\n');
  });
  afterAll(() => rmSync(app, { recursive: true, force: true }));

  it('exports the zone file as STRATUS_AZ before starting the service', async () => {
    const result = await run(join(app, 'entrypoint.mjs'), { STRATUS_AZ_FILE: join(app, 'az') });
    expect(result).toEqual({ code: 0, stdout: 'az=eu-west-1c', stderr: '' });
  });

  it('lets an explicit STRATUS_AZ win', async () => {
    const result = await run(join(app, 'entrypoint.mjs'), { STRATUS_AZ_FILE: join(app, 'az'), STRATUS_AZ: 'z9' });
    expect(result.stdout).toBe('az=z9');
  });

  it('exits 2 when the zone file is missing or empty', async () => {
    const missing = await run(join(app, 'entrypoint.mjs'), { STRATUS_AZ_FILE: join(app, 'nope') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('cannot read STRATUS_AZ_FILE');
    const empty = await run(join(app, 'entrypoint.mjs'), { STRATUS_AZ_FILE: join(app, 'empty') });
    expect(empty.code).toBe(2);
    expect(empty.stderr).toContain('is empty');
  });
});
