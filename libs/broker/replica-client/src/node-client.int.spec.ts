// ReplicationNodeClient's unary calls against an in-process gRPC server that never answers: only
// the call's deadline or close() can end them, and either way the port sees UNAVAILABLE (a
// transport fault is retriable for a leader), never a hang.
import { status, type sendUnaryData, type Server, type ServerUnaryCall } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { bindGrpcServer, createGrpcServer } from '@stratus/platform-grpc';
import { ReplicationNodeClient } from './node-client';

// Below the calls' deadline: a close() that did not cancel them would fail the test by timing out.
jest.setTimeout(30_000);

describe('ReplicationNodeClient unary calls against a node that never answers', () => {
  let server: Server;
  let address: string;
  const held: Array<sendUnaryData<replicationV1.FenceResponse>> = [];

  beforeEach(async () => {
    server = createGrpcServer();
    server.addService(replicationV1.ReplicationServiceService, {
      fence(_call: ServerUnaryCall<replicationV1.FenceRequest, replicationV1.FenceResponse>, callback: sendUnaryData<replicationV1.FenceResponse>) {
        held.push(callback);
      },
    } as unknown as replicationV1.ReplicationServiceServer);
    address = `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`;
  });

  afterEach(() => {
    for (const callback of held.splice(0)) callback({ code: status.CANCELLED, details: 'test over' });
    server.forceShutdown();
  });

  const fence = (client: ReplicationNodeClient, timeoutMs?: number) =>
    client.fence(replicationV1.FenceRequest.fromPartial({ partition: { topicId: { value: Buffer.alloc(16, 1) }, partition: 0 }, epoch: 3 }), timeoutMs === undefined ? undefined : { timeoutMs });

  it('ends a call at its deadline as UNAVAILABLE', async () => {
    const client = new ReplicationNodeClient({ nodeId: 'r1', address });
    try {
      const outcome = await fence(client, 200);
      expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    } finally {
      client.close();
    }
  });

  it('close() cancels every call in flight (UNAVAILABLE long before their deadline) and refuses later calls', async () => {
    // Far more calls than an AbortSignal's default listener limit, all within a 120 s deadline.
    const client = new ReplicationNodeClient({ nodeId: 'r1', address, callTimeoutMs: 120_000 });
    const calls = Array.from({ length: 20 }, () => fence(client));
    await waitForCondition(() => held.length === calls.length);
    client.close();
    const outcomes = await Promise.all(calls);
    for (const outcome of outcomes) expect(outcome).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(await fence(client)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('client closed') } });
  });
});

async function waitForCondition(condition: () => boolean): Promise<void> {
  // Generous for a loaded 2-core CI machine; polls instead of sleeping a fixed time.
  for (let i = 0; i < 1_500 && !condition(); i++) await new Promise((r) => setTimeout(r, 20));
  if (!condition()) throw new Error('condition not reached');
}
