// unaryCall against a real grpc-js server on 127.0.0.1 (the raw-bytes Echo service of test-support).
import {
  makeGenericClientConstructor,
  Metadata,
  status,
  type CallOptions,
  type Client,
  type handleUnaryCall,
  type Server,
  type ServiceError,
  type ServerUnaryCall,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { createGrpcClient } from './client';
import { bindGrpcServer, createGrpcServer } from './server';
import { echoServiceDefinition } from './test-support';
import { unaryCall } from './unary-call';
import { unimplemented } from './unimplemented';

interface EchoClient extends Client {
  Unary(request: Buffer, metadata: Metadata, options: Partial<CallOptions>, cb: (error: ServiceError | null, response?: Buffer) => void): unknown;
}
const EchoClient = makeGenericClientConstructor(echoServiceDefinition, 'Echo') as unknown as new (...args: ConstructorParameters<typeof Client>) => EchoClient;

type UnaryHandler = (call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) => void;

async function startServer(handler: UnaryHandler, port = 0): Promise<{ server: Server; port: number }> {
  const server = createGrpcServer();
  server.addService(echoServiceDefinition, { ...unimplemented(echoServiceDefinition, { owner: 'test' }), Unary: handler as handleUnaryCall<Buffer, Buffer> });
  return { server, port: await bindGrpcServer(server, '127.0.0.1', port) };
}

describe('unaryCall against a real server', () => {
  const servers: Server[] = [];
  const clients: EchoClient[] = [];
  const client = (port: number): EchoClient => {
    const c = createGrpcClient(EchoClient, `127.0.0.1:${port}`);
    clients.push(c);
    return c;
  };
  afterEach(() => {
    for (const c of clients.splice(0)) c.close();
    for (const s of servers.splice(0)) s.forceShutdown();
  });

  it('resolves the response and delivers the request and its metadata', async () => {
    let seen: { body: string; tenant: unknown[]; trace: unknown[] } | undefined;
    const { server, port } = await startServer((call, cb) => {
      seen = { body: call.request.toString(), tenant: call.metadata.get('x-tenant'), trace: call.metadata.get('x-trace') };
      cb(null, Buffer.concat([Buffer.from('echo:'), call.request]));
    });
    servers.push(server);
    const c = client(port);
    const md = new Metadata();
    md.set('x-trace', 'abc');
    expect((await unaryCall(c, c.Unary, Buffer.from('hello'), { timeoutMs: 10_000, metadata: md })).toString()).toBe('echo:hello');
    expect(seen).toEqual({ body: 'hello', tenant: [], trace: ['abc'] });
    expect((await unaryCall(c, c.Unary, Buffer.from('again'), { metadata: { 'x-tenant': 't1' } })).toString()).toBe('echo:again');
    expect(seen).toEqual({ body: 'again', tenant: ['t1'], trace: [] });
  });

  it("rejects with the server's status and details", async () => {
    const { server, port } = await startServer((_call, cb) => cb({ code: status.NOT_FOUND, details: 'no such tenant t9' }));
    servers.push(server);
    const c = client(port);
    await expect(unaryCall(c, c.Unary, Buffer.alloc(1), { timeoutMs: 10_000 })).rejects.toMatchObject({ code: status.NOT_FOUND, details: 'no such tenant t9' });
  });

  it('rejects with DEADLINE_EXCEEDED when the server does not answer in time (timeoutMs or an absolute deadline)', async () => {
    const { server, port } = await startServer(() => undefined);
    servers.push(server);
    const c = client(port);
    await expect(unaryCall(c, c.Unary, Buffer.alloc(1), { timeoutMs: 200 })).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
    await expect(unaryCall(c, c.Unary, Buffer.alloc(1), { deadline: new Date(Date.now() + 200) })).rejects.toMatchObject({ code: status.DEADLINE_EXCEEDED });
  });

  it('cancels the call when the signal aborts', async () => {
    let arrived: (() => void) | undefined;
    const started = new Promise<void>((resolve) => (arrived = resolve));
    let cancelledOnServer = false;
    const { server, port } = await startServer((call) => {
      call.on('cancelled', () => (cancelledOnServer = true));
      arrived?.();
    });
    servers.push(server);
    const c = client(port);
    const controller = new AbortController();
    const result = unaryCall(c, c.Unary, Buffer.alloc(1), { timeoutMs: 60_000, signal: controller.signal });
    await started;
    controller.abort();
    await expect(result).rejects.toMatchObject({ code: status.CANCELLED });
    // The cancellation reaches the server too (RST_STREAM), so it can stop working on the call.
    const until = Date.now() + 30_000;
    while (!cancelledOnServer && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
    expect(cancelledOnServer).toBe(true);
  });

  it('fails fast with UNAVAILABLE while nothing listens, but waits for the server with waitForReady', async () => {
    // A port that was just free: bind, note it, stop.
    const probe = await startServer((_call, cb) => cb(null, Buffer.from('probe')));
    probe.server.forceShutdown();
    const c = client(probe.port);
    await expect(unaryCall(c, c.Unary, Buffer.alloc(1), { timeoutMs: 30_000 })).rejects.toMatchObject({ code: status.UNAVAILABLE });

    const waiting = unaryCall(c, c.Unary, Buffer.from('late'), { timeoutMs: 60_000, waitForReady: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { server } = await startServer((call, cb) => cb(null, Buffer.concat([Buffer.from('up:'), call.request])), probe.port);
    servers.push(server);
    expect((await waiting).toString()).toBe('up:late');
  });
});
