import { Server, ServerCredentials, status as grpcStatus } from '@grpc/grpc-js';
import { HealthImplementation } from 'grpc-health-check';
import { freePort, grpcHealthCheck, registerResource, useHarness } from './index';

async function startHealthServer(statuses: Record<string, 'SERVING' | 'NOT_SERVING'>): Promise<string> {
  const server = new Server();
  new HealthImplementation(statuses).addToServer(server);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, bound) => (err ? reject(err) : resolve(bound))),
  );
  const unregister = registerResource({
    label: 'in-process health server',
    cleanup: async () => {
      unregister();
      server.forceShutdown();
    },
  });
  return `127.0.0.1:${port}`;
}

describe('grpcHealthCheck', () => {
  useHarness();

  it('reports the overall and per-service status', async () => {
    const address = await startHealthServer({ '': 'SERVING', 'stratus.broker.v1.Broker': 'NOT_SERVING' });
    expect(await grpcHealthCheck(address)).toBe('SERVING');
    expect(await grpcHealthCheck(address, { service: 'stratus.broker.v1.Broker' })).toBe('NOT_SERVING');
  });

  it('rejects with NOT_FOUND for a service the server does not know', async () => {
    const address = await startHealthServer({ '': 'SERVING' });
    await expect(grpcHealthCheck(address, { service: 'no.such.Service' })).rejects.toMatchObject({ code: grpcStatus.NOT_FOUND });
  });

  it('rejects (UNAVAILABLE or deadline) when nothing listens', async () => {
    const port = await freePort();
    await expect(grpcHealthCheck(`127.0.0.1:${port}`, { timeoutMs: 1_000 })).rejects.toMatchObject({
      code: expect.any(Number),
    });
  });
});
