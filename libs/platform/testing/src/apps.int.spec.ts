import { join } from 'node:path';
import { grpcHealthCheck, httpGet, spawnNodeService, startNodeService, useHarness } from './index';

const entry = join(__dirname, '__fixtures__', 'contract-service.js');

describe('startNodeService / spawnNodeService (against a contract fixture)', () => {
  useHarness();

  it('learns the bound ports from the ready line, waits for /readyz and stops cleanly on SIGTERM', async () => {
    const app = await startNodeService({ label: 'fixture', entry, env: { FIXTURE_READY_DELAY_MS: '500' } });
    expect(app.grpcPort).toBeGreaterThan(0);
    expect(app.adminPort).toBeGreaterThan(0);
    expect(app.grpcAddress).toBe(`127.0.0.1:${app.grpcPort}`);

    await app.waitReady({ timeoutMs: 20_000 });
    expect((await httpGet(`${app.adminUrl}/readyz`)).status).toBe(200);
    expect(await grpcHealthCheck(app.grpcAddress)).toBe('SERVING');

    const result = await app.stop({ signal: 'SIGTERM', timeoutMs: 10_000 });
    expect(result).toMatchObject({ code: 0, signal: null, escalatedToSigkill: false });
  });

  it('two instances get different ports', async () => {
    const [a, b] = await Promise.all([startNodeService({ label: 'a', entry }), startNodeService({ label: 'b', entry })]);
    expect(new Set([a.grpcPort, a.adminPort, b.grpcPort, b.adminPort]).size).toBe(4);
  });

  it('passes env overrides and captures stderr of a process that refuses its config', async () => {
    const app = await spawnNodeService({ label: 'bad-config', entry, env: { STRATUS_ADMIN_PORT: 'abc' } });
    expect(await app.exited).toEqual({ code: 2, signal: null });
    expect(app.process.stderr()).toContain('STRATUS_ADMIN_PORT');
  });

  it('startNodeService rejects with the output when the program exits before its ready line', async () => {
    await expect(startNodeService({ label: 'bad-config', entry, env: { STRATUS_GRPC_PORT: '-1' } })).rejects.toThrow(
      /exited \(code 2[\s\S]*STRATUS_GRPC_PORT/,
    );
  });

  it('waitReady fails fast when the app dies while not ready', async () => {
    const app = await startNodeService({ label: 'dies', entry, env: { FIXTURE_READY_DELAY_MS: '600000' } });
    const waiting = app.waitReady({ timeoutMs: 60_000 });
    await app.kill9();
    await expect(waiting).rejects.toThrow(/app dies exited/);
  });

  it('a paused app stops answering and recovers on resume', async () => {
    const app = await startNodeService({ label: 'paused', entry });
    await app.waitReady();
    app.pause();
    await expect(httpGet(`${app.adminUrl}/healthz`, { timeoutMs: 500 })).rejects.toThrow(/timed out/);
    app.resume();
    expect((await httpGet(`${app.adminUrl}/healthz`)).status).toBe(200);
  });
});
