// The receive window our clients advertise, as the peer sees it: a plain Node HTTP/2 server stands
// in for the gRPC server so the test can read the session's flow-control state.
import { makeGenericClientConstructor, status, type Client } from '@grpc/grpc-js';
import { createServer, type Http2Server, type ServerHttp2Session } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { createGrpcClient, DEFAULT_RECEIVE_WINDOW_BYTES } from './client';
import { echoServiceDefinition } from './test-support';
import { unaryCall, type UnaryMethod } from './unary-call';

type UnaryClient = Client & { Unary: UnaryMethod<Buffer, Buffer> };
const EchoClient = makeGenericClientConstructor(echoServiceDefinition, 'Echo') as unknown as new (
  ...args: ConstructorParameters<typeof Client>
) => UnaryClient;

/** A server that answers every call with grpc-status UNIMPLEMENTED and hands out its sessions. */
async function startPeer(): Promise<{ server: Http2Server; port: number; session: Promise<ServerHttp2Session> }> {
  const server = createServer();
  server.on('stream', (stream) => {
    stream.respond({ ':status': 200, 'content-type': 'application/grpc', 'grpc-status': String(status.UNIMPLEMENTED), 'grpc-message': 'peer' }, { endStream: true });
  });
  const session = new Promise<ServerHttp2Session>((resolve) => server.once('session', resolve));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, session };
}

/** What the client told the peer: its stream window (SETTINGS) and the connection's window. */
async function windowsSeenByPeer(session: ServerHttp2Session): Promise<{ stream: number | undefined; connection: number | undefined }> {
  // The client sends its WINDOW_UPDATE for the connection after the peer's SETTINGS arrive; give
  // the session a few turns to take it in.
  for (let i = 0; i < 50 && (session.state.remoteWindowSize ?? 0) <= 65_535; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  return { stream: session.remoteSettings.initialWindowSize, connection: session.state.remoteWindowSize };
}

describe('client receive window', () => {
  let peer: Awaited<ReturnType<typeof startPeer>> | undefined;
  let client: UnaryClient | undefined;

  afterEach(async () => {
    client?.close();
    await new Promise((resolve) => (peer ? peer.server.close(resolve) : resolve(undefined)));
    client = undefined;
    peer = undefined;
  });

  it('advertises 8 MiB by default, for the streams and the whole connection', async () => {
    peer = await startPeer();
    client = createGrpcClient(EchoClient, `127.0.0.1:${peer.port}`);
    await expect(unaryCall(client, client.Unary, Buffer.from('x'), { timeoutMs: 5_000 })).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    const seen = await windowsSeenByPeer(await peer.session);
    expect(DEFAULT_RECEIVE_WINDOW_BYTES).toBe(8 * 1024 * 1024);
    expect(seen.stream).toBe(DEFAULT_RECEIVE_WINDOW_BYTES);
    expect(seen.connection).toBeGreaterThanOrEqual(DEFAULT_RECEIVE_WINDOW_BYTES);
  });

  it('takes another window when asked', async () => {
    peer = await startPeer();
    client = createGrpcClient(EchoClient, `127.0.0.1:${peer.port}`, { receiveWindowBytes: 1024 * 1024 });
    await expect(unaryCall(client, client.Unary, Buffer.from('x'), { timeoutMs: 5_000 })).rejects.toMatchObject({ code: status.UNIMPLEMENTED });
    const seen = await windowsSeenByPeer(await peer.session);
    expect(seen.stream).toBe(1024 * 1024);
    expect(seen.connection).toBeGreaterThanOrEqual(1024 * 1024);
    expect(seen.connection).toBeLessThan(DEFAULT_RECEIVE_WINDOW_BYTES);
  });
});
