import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { makeGenericClientConstructor, type CallOptions, type Client, type Metadata, type ServiceError } from '@grpc/grpc-js';
import { checkGrpcHealth, createGrpcClient, unaryCall } from '@stratus/platform-grpc';

const ROOT = resolve(__dirname, '../../../..');
const FIXTURE = resolve(__dirname, 'test-fixtures/echo-service.ts');

interface Started {
  readonly child: ChildProcess;
  readonly lines: Record<string, unknown>[];
  readonly grpcPort: number;
  readonly adminPort: number;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly stderr: () => string;
}

function spawnFixture(env: Record<string, string>, args: readonly string[] = []) {
  const child = spawn(process.execPath, ['-r', '@swc-node/register', FIXTURE, ...args], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json'), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.on('exit', (code, signal) => done({ code, signal })),
  );
  return { child, exited, stderr: () => stderr };
}

async function start(env: Record<string, string> = {}, args: readonly string[] = []): Promise<Started> {
  const spawned = spawnFixture({ STRATUS_GRPC_PORT: '0', STRATUS_ADMIN_PORT: '0', ...env }, args);
  const lines: Record<string, unknown>[] = [];
  const stdout = spawned.child.stdout;
  if (!stdout) throw new Error('fixture stdout is not piped');
  const ready = new Promise<Record<string, unknown>>((done, fail) => {
    createInterface({ input: stdout }).on('line', (text) => {
      const line = JSON.parse(text) as Record<string, unknown>;
      lines.push(line);
      if (line['msg'] === 'ready') done(line);
    });
    void spawned.exited.then(({ code }) => fail(new Error(`fixture exited with ${code} before ready: ${spawned.stderr()}`)));
  });
  const line = await ready;
  return { ...spawned, lines, grpcPort: Number(line['grpcPort']), adminPort: Number(line['adminPort']) };
}

async function get(port: number, path: string): Promise<{ status: number; body: string; type: string | null }> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`);
  return { status: response.status, body: await response.text(), type: response.headers.get('content-type') };
}

interface EchoClient extends Client {
  Unary(request: Buffer, metadata: Metadata, options: Partial<CallOptions>, cb: (error: ServiceError | null, response?: Buffer) => void): void;
}
const identity = (value: Buffer): Buffer => value;
const EchoClient = makeGenericClientConstructor(
  {
    Unary: {
      path: '/stratus.test.v1.Echo/Unary',
      requestStream: false,
      responseStream: false,
      requestSerialize: identity,
      requestDeserialize: identity,
      responseSerialize: identity,
      responseDeserialize: identity,
    },
  },
  'Echo',
) as unknown as new (...args: ConstructorParameters<typeof Client>) => EchoClient;

function slowCall(port: number, delayMs: number): Promise<string> {
  const client = createGrpcClient(EchoClient, `127.0.0.1:${port}`);
  const request = Buffer.alloc(4);
  request.writeUInt32BE(delayMs);
  return unaryCall(client, client.Unary, request, { timeoutMs: 30_000 })
    .then(String)
    .finally(() => client.close());
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

describe('a service process', () => {
  let running: Started | undefined;
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-service-'));
  });
  afterEach(() => {
    if (running && running.child.exitCode === null) running.child.kill('SIGKILL');
    running = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves /healthz, /readyz, /metrics and grpc.health.v1 SERVING once started', async () => {
    running = await start();
    expect(running.grpcPort).toBeGreaterThan(0);
    expect(running.adminPort).toBeGreaterThan(0);
    expect(await get(running.adminPort, '/healthz')).toMatchObject({ status: 200, body: '{"status":"ok"}' });
    expect(await get(running.adminPort, '/readyz')).toMatchObject({ status: 200, body: '{"status":"ready"}' });
    const metrics = await get(running.adminPort, '/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.type).toContain('text/plain');
    expect(metrics.body).toContain('process_resident_memory_bytes{service="echo"}');
    expect(metrics.body).toMatch(/^nodejs_eventloop_lag_seconds\{service="echo"\} \d/m);
    expect((await get(running.adminPort, '/nope')).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${running.adminPort}/healthz`, { method: 'POST' })).status).toBe(405);
    const address = `127.0.0.1:${running.grpcPort}`;
    expect(await checkGrpcHealth(address)).toBe('SERVING');
    expect(await checkGrpcHealth(address, { service: 'stratus.test.v1.Echo' })).toBe('SERVING');
    expect(await slowCall(running.grpcPort, 1)).toBe('done');
    expect((await get(running.adminPort, '/metrics')).body).toContain(
      'stratus_grpc_server_handled_total{service="stratus.test.v1.Echo",method="Unary",code="OK"} 1',
    );
  });

  it('reports failing readiness checks on /readyz and NOT_SERVING on gRPC health, and recovers', async () => {
    const flag = join(dir, 'not-ready');
    writeFileSync(flag, '');
    running = await start({ STRATUS_NOT_READY_FILE: flag });
    expect(await get(running.adminPort, '/readyz')).toEqual({
      status: 503,
      body: '{"status":"not ready","failing":["flag-file"]}',
      type: 'application/json',
    });
    expect(await get(running.adminPort, '/healthz')).toMatchObject({ status: 200 });
    expect(await checkGrpcHealth(`127.0.0.1:${running.grpcPort}`)).toBe('NOT_SERVING');
    rmSync(flag);
    expect((await get(running.adminPort, '/readyz')).status).toBe(200);
    let grpcStatus = await checkGrpcHealth(`127.0.0.1:${running.grpcPort}`);
    for (let i = 0; i < 50 && grpcStatus !== 'SERVING'; i++) {
      await sleep(100);
      grpcStatus = await checkGrpcHealth(`127.0.0.1:${running.grpcPort}`);
    }
    expect(grpcStatus).toBe('SERVING');
  });

  it('on SIGTERM reports NOT_SERVING, finishes the in-flight call, runs closers and exits 0', async () => {
    running = await start({ STRATUS_SHUTDOWN_GRACE_MS: '20000' });
    const inFlight = slowCall(running.grpcPort, 1_500);
    await sleep(300);
    running.child.kill('SIGTERM');
    await sleep(200);
    // While draining: liveness holds, readiness fails, and gRPC takes no new calls.
    expect(await get(running.adminPort, '/readyz')).toMatchObject({ status: 503, body: '{"status":"not ready","failing":["shutdown"]}' });
    expect((await get(running.adminPort, '/healthz')).status).toBe(200);
    expect(await checkGrpcHealth(`127.0.0.1:${running.grpcPort}`).catch(() => 'unreachable')).toMatch(/NOT_SERVING|unreachable/);
    expect(await inFlight).toBe('done');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    const messages = running.lines.map((line) => line['msg']);
    expect(messages).toEqual(expect.arrayContaining(['ready', 'shutting down', 'closer ran', 'stopped']));
    expect(running.lines.find((line) => line['msg'] === 'stopped')).toMatchObject({ forced: false });
  });

  it('cancels calls still running when the grace period ends, and still exits 0', async () => {
    running = await start({ STRATUS_SHUTDOWN_GRACE_MS: '300' });
    const stuck = slowCall(running.grpcPort, 60_000).catch((error: ServiceError) => error);
    await sleep(300);
    running.child.kill('SIGINT');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(await stuck).toMatchObject({ code: expect.any(Number) });
    expect(running.lines.find((line) => line['msg'] === 'stopped')).toMatchObject({ forced: true });
  });

  it('exits at once on a second signal', async () => {
    running = await start({ STRATUS_SHUTDOWN_GRACE_MS: '60000' });
    void slowCall(running.grpcPort, 60_000).catch(() => undefined);
    await sleep(300);
    running.child.kill('SIGTERM');
    await sleep(200);
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 143, signal: null });
  });

  it.each([
    ['STRATUS_ADMIN_PORT', 'abc'],
    ['STRATUS_GRPC_PORT', '12abc'],
    ['STRATUS_SHUTDOWN_GRACE_MS', '-5'],
    ['STRATUS_LOG_LEVEL', 'loud'],
  ])('exits 2 with one line naming %s when it is %j', async (name, value) => {
    const spawned = spawnFixture({ [name]: value });
    expect(await spawned.exited).toEqual({ code: 2, signal: null });
    const stderr = spawned.stderr();
    expect(stderr).toMatch(new RegExp(`^echo: invalid configuration: ${name} \\(yaml: \\w+\\) = "${value}" from environment: expected .+\\n$`));
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('reads --config YAML, lets the environment override it, and logs its lifecycle even at level error', async () => {
    const flag = join(dir, 'not-ready');
    writeFileSync(flag, '');
    const file = join(dir, 'echo.yaml');
    writeFileSync(file, `logLevel: error\ngrpcPort: 1\nnotReadyFile: ${JSON.stringify(flag)}\naz: az-from-file\n`);
    running = await start({ STRATUS_AZ: 'az-from-env' }, ['--config', file]);
    expect((await get(running.adminPort, '/readyz')).body).toBe('{"status":"not ready","failing":["flag-file"]}');
    expect(running.lines[0]).toMatchObject({ msg: 'ready', az: 'az-from-env' });
    running.child.kill('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.lines.map((line) => line['msg'])).toEqual(['ready', 'shutting down', 'stopped']);
  });

  it('exits 2 naming the YAML key of a bad value in the file', async () => {
    const file = join(dir, 'echo.yaml');
    writeFileSync(file, 'shutdownGraceMs: soon\n');
    const spawned = spawnFixture({}, [`--config=${file}`]);
    expect(await spawned.exited).toEqual({ code: 2, signal: null });
    expect(spawned.stderr()).toBe(
      'echo: invalid configuration: STRATUS_SHUTDOWN_GRACE_MS (yaml: shutdownGraceMs) = "soon" from file: expected a duration in milliseconds between 0 and 600000\n',
    );
  });

  it('exits 1 naming the address when a port is taken', async () => {
    running = await start();
    const second = spawnFixture({ STRATUS_GRPC_PORT: '0', STRATUS_ADMIN_PORT: String(running.adminPort) });
    expect((await second.exited).code).toBe(1);
    expect(second.stderr()).toContain(`echo: startup failed: Error: cannot bind admin server to 127.0.0.1:${running.adminPort}`);
  });
});
