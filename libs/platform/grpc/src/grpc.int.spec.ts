import {
  makeGenericClientConstructor,
  Metadata,
  status,
  type CallOptions,
  type Client,
  type handleUnaryCall,
  type Server,
  type ServiceError,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ErrorCode } from '@stratus/kafka-errors';
import { callOptions, createGrpcClient } from './client';
import { checkGrpcHealth, GrpcHealth } from './health';
import { grpcErrorToKafkaError, kafkaErrorToGrpcError } from './kafka-status';
import { bindGrpcServer, createGrpcServer } from './server';
import { shutdownGrpcServer } from './shutdown';
import { echoServiceDefinition } from './test-support';
import { unaryCall } from './unary-call';
import { unimplemented } from './unimplemented';

interface EchoClient extends Client {
  Unary(request: Buffer, metadata: Metadata, options: Partial<CallOptions>, cb: (error: ServiceError | null, response?: Buffer) => void): void;
  ClientStream(options: object, cb: (error: ServiceError | null, response?: Buffer) => void): NodeJS.WritableStream;
  ServerStream(request: Buffer, options: object): NodeJS.ReadableStream;
  Bidi(options: object): NodeJS.ReadWriteStream;
}
const EchoClient = makeGenericClientConstructor(echoServiceDefinition, 'Echo') as unknown as new (
  ...args: ConstructorParameters<typeof Client>
) => EchoClient;

function unary(client: EchoClient, body: Buffer, timeoutMs = 5_000): Promise<Buffer> {
  return unaryCall(client, client.Unary, body, { timeoutMs });
}

function streamError(stream: NodeJS.EventEmitter): Promise<ServiceError> {
  return new Promise((resolve) => {
    stream.on('data', () => undefined);
    stream.on('error', (error: ServiceError) => resolve(error));
  });
}

async function startServer(handlers: UntypedServiceImplementation, maxReceiveMessageBytes?: number) {
  const server = createGrpcServer(maxReceiveMessageBytes ? { maxReceiveMessageBytes } : {});
  const health = new GrpcHealth();
  health.addToServer(server);
  server.addService(echoServiceDefinition, handlers);
  health.register('stratus.test.v1.Echo');
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const client = createGrpcClient(EchoClient, address);
  return { server, health, address, client };
}

describe('gRPC runtime against a real server', () => {
  let server: Server | undefined;
  let client: EchoClient | undefined;
  afterEach(() => {
    client?.close();
    server?.forceShutdown();
  });

  it('answers every call kind with UNIMPLEMENTED naming the method', async () => {
    const started = await startServer(unimplemented(echoServiceDefinition, { owner: 'issue 9' }));
    ({ server, client } = started);
    const c = started.client;

    await expect(unary(c, Buffer.from('x'))).rejects.toMatchObject({
      code: status.UNIMPLEMENTED,
      details: 'stratus.test.v1.Echo/Unary is not implemented yet (owner: issue 9)',
    });
    const clientStreamError = new Promise<ServiceError | null>((resolve) => {
      const stream = c.ClientStream(callOptions(5_000), (error) => resolve(error));
      stream.end();
    });
    expect(await clientStreamError).toMatchObject({ code: status.UNIMPLEMENTED });
    expect(await streamError(c.ServerStream(Buffer.from('x'), callOptions(5_000)))).toMatchObject({
      code: status.UNIMPLEMENTED,
      details: expect.stringContaining('Echo/ServerStream'),
    });
    const bidi = c.Bidi(callOptions(5_000));
    const bidiError = streamError(bidi);
    bidi.end();
    expect(await bidiError).toMatchObject({ code: status.UNIMPLEMENTED, details: expect.stringContaining('Echo/Bidi') });
  });

  it('reports health NOT_SERVING until told, then SERVING for the server and each service', async () => {
    const started = await startServer(unimplemented(echoServiceDefinition, { owner: 'x' }));
    ({ server, client } = started);
    expect(await checkGrpcHealth(started.address)).toBe('NOT_SERVING');
    started.health.setServing(true);
    expect(await checkGrpcHealth(started.address)).toBe('SERVING');
    expect(await checkGrpcHealth(started.address, { service: 'stratus.test.v1.Echo' })).toBe('SERVING');
    expect(await checkGrpcHealth(started.address, { service: 'no.such.Service' })).toBe('SERVICE_UNKNOWN');
  });

  it('carries the exact Kafka error code across the wire', async () => {
    const started = await startServer({
      ...unimplemented(echoServiceDefinition, { owner: 'x' }),
      Unary: ((_call, cb) => cb(kafkaErrorToGrpcError(ErrorCode.FENCED_LEADER_EPOCH, 'epoch 4 < 5'))) as handleUnaryCall<Buffer, Buffer>,
    });
    ({ server, client } = started);
    const error = (await unary(started.client, Buffer.alloc(1)).catch((e: ServiceError) => e)) as ServiceError;
    expect(error.code).toBe(status.FAILED_PRECONDITION);
    expect(error.details).toBe('FENCED_LEADER_EPOCH: epoch 4 < 5');
    expect(grpcErrorToKafkaError(error)).toBe(ErrorCode.FENCED_LEADER_EPOCH);
  });

  it('rejects messages above the configured maximum', async () => {
    const started = await startServer(
      {
        ...unimplemented(echoServiceDefinition, { owner: 'x' }),
        Unary: ((call, cb) => cb(null, call.request)) as handleUnaryCall<Buffer, Buffer>,
      },
      4096,
    );
    ({ server, client } = started);
    expect((await unary(started.client, Buffer.alloc(100))).length).toBe(100);
    await expect(unary(started.client, Buffer.alloc(10_000))).rejects.toMatchObject({ code: status.RESOURCE_EXHAUSTED });
  });

  it('drains an in-flight call on shutdown, and cancels one that outlives the grace period', async () => {
    let release: (() => void) | undefined;
    const started = await startServer({
      ...unimplemented(echoServiceDefinition, { owner: 'x' }),
      Unary: ((call, cb) => {
        setTimeout(() => cb(null, Buffer.from('done')), call.request.readUInt32BE(0));
      }) as handleUnaryCall<Buffer, Buffer>,
    });
    ({ server, client } = started);
    const slow = Buffer.alloc(4);
    slow.writeUInt32BE(300);
    const inFlight = unary(started.client, slow);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const result = await shutdownGrpcServer(started.server, { graceMs: 5_000 });
    expect(result).toEqual({ forced: false });
    expect((await inFlight).toString()).toBe('done');

    const second = await startServer({
      ...unimplemented(echoServiceDefinition, { owner: 'x' }),
      Unary: ((_call, cb) => {
        release = () => cb(null, Buffer.from('late'));
      }) as handleUnaryCall<Buffer, Buffer>,
    });
    client.close();
    ({ server, client } = second);
    const stuck = unary(second.client, Buffer.alloc(4)).catch((e: ServiceError) => e);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await shutdownGrpcServer(second.server, { graceMs: 100 })).toEqual({ forced: true });
    expect(await stuck).toMatchObject({ code: status.CANCELLED });
    release?.();
  });
});
