// The connection pipeline over an in-memory duplex (no network): out-of-order handler completion and
// memory-budget backpressure.
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import fc from 'fast-check';
import { FrameReader } from '@stratus/kafka-protocol';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryCredentialSource } from '../credentials/in-memory-credential-source';
import { apiVersionsHandler } from '../handlers/api-versions';
import type { ApiHandler } from '../handlers/handler';
import { HandlerRegistry } from '../handlers/registry';
import { saslAuthenticateHandler } from '../handlers/sasl-authenticate';
import { saslHandshakeHandler } from '../handlers/sasl-handshake';
import { encodeRequestFrame } from '../raw-client.testkit';
import { tenantId } from '../types';
import { KafkaConnection } from './kafka-connection';
import { TenantBudgets } from './memory-budget';

/** The server's end of an in-memory connection; the test drives the client end. */
class FakeSocket extends Duplex {
  readonly remoteAddress = '10.0.0.1';
  readonly remotePort = 5555;
  readonly received: Buffer[] = [];
  paused = 0;
  setNoDelay(): this {
    return this;
  }
  setTimeout(): this {
    return this;
  }
  override pause(): this {
    this.paused++;
    return super.pause();
  }
  override _read(): void {
    // Data is pushed by fromClient(); nothing to pull.
  }
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.received.push(chunk);
    callback();
  }
  fromClient(bytes: Buffer): void {
    this.push(bytes);
  }
}

interface Deferred {
  resolve(): void;
  readonly promise: Promise<void>;
}
function deferred(): Deferred {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { resolve, promise };
}

const gates = new Map<string, Deferred>();
/** Heartbeat handler whose response waits until the test opens the gate named by the member id. */
const gatedHeartbeat: ApiHandler = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  async handle(_ctx, request) {
    const gate = gates.get((request as { memberId: string }).memberId);
    await gate?.promise;
    const memberId = (request as { memberId: string }).memberId;
    // Stands in for Produce with acks=0, which Kafka never answers.
    if (memberId.startsWith('silent')) return { response: { throttleTimeMs: 0, errorCode: 0 }, noResponse: true };
    return { response: { throttleTimeMs: 0, errorCode: 0 } };
  },
};

const credentials = new InMemoryCredentialSource([{ username: 'u', password: 'p', tenantId: tenantId('t') }]);
const registry = new HandlerRegistry([apiVersionsHandler, saslHandshakeHandler, saslAuthenticateHandler({ failedAuthenticationDelayMs: 0 }), gatedHeartbeat]);
/** Error lines mean a bug was caught by a safety net (handler failure, unexpected exception). */
const errorLines: string[] = [];
const logger = createLogger({ service: 'test', level: 'error', destination: { write: (line: string) => void errorLines.push(line) } });

function open(options: { connectionMemoryBytes: number; maxInFlightRequests?: number }): FakeSocket {
  const socket = new FakeSocket();
  new KafkaConnection({
    id: 1,
    socket: socket as unknown as Socket,
    registry,
    listener: { nodeId: 0, host: 'h', port: 1, clusterId: 'c' },
    credentials,
    mechanisms: ['PLAIN'],
    maxSessionLifetimeMs: 0,
    failedAuthenticationDelayMs: 0,
    maxRequestBytes: 1 << 20,
    connectionMemoryBytes: options.connectionMemoryBytes,
    maxInFlightRequests: options.maxInFlightRequests ?? 100,
    budgets: new TenantBudgets({ tenantBytes: 1 << 20, unauthenticatedBytes: 1 << 20 }),
    idleTimeoutMs: 60_000,
    logger,
    metrics: undefined,
    onClosed: () => undefined,
  });
  return socket;
}

let correlation = 0;
const request = (apiKey: number, apiVersion: number, body: unknown) =>
  encodeRequestFrame({ apiKey, apiVersion, correlationId: ++correlation, clientId: 'unit', body });
const heartbeat = (member: string) => request(12, 4, { groupId: 'g', generationId: 1, memberId: member, groupInstanceId: null });

function correlationIds(socket: FakeSocket): number[] {
  const reader = new FrameReader({ minFrameBytes: 0 });
  for (const chunk of socket.received) reader.push(chunk);
  return [...reader].map((f) => f.readInt32BE(0));
}

const tick = () => new Promise((r) => setImmediate(r));

async function authenticate(socket: FakeSocket): Promise<void> {
  socket.fromClient(request(17, 1, { mechanism: 'PLAIN' }));
  socket.fromClient(request(36, 2, { authBytes: Buffer.from('\0u\0p') }));
  for (let i = 0; i < 20 && correlationIds(socket).length < 2; i++) await tick();
  socket.received.length = 0;
}

describe('KafkaConnection', () => {
  it('answers pipelined requests in order when handlers finish out of order', async () => {
    const socket = open({ connectionMemoryBytes: 1 << 20 });
    await authenticate(socket);
    for (const m of ['a', 'b', 'c']) gates.set(m, deferred());
    const frames = ['a', 'b', 'c'].map(heartbeat);
    const ids = frames.map((f) => f.readInt32BE(8));
    socket.fromClient(Buffer.concat(frames));
    await tick();
    gates.get('c')?.resolve();
    gates.get('b')?.resolve();
    await tick();
    expect(correlationIds(socket)).toEqual([]);
    gates.get('a')?.resolve();
    await tick();
    await tick();
    expect(correlationIds(socket)).toEqual(ids);
  });

  it('stops reading when the connection budget is used up and resumes when a response frees it', async () => {
    const first = heartbeat('slow');
    const socket = open({ connectionMemoryBytes: first.length - 4 });
    await authenticate(socket);
    gates.set('slow', deferred());
    const second = heartbeat('fast');
    socket.fromClient(Buffer.concat([first, second]));
    await tick();
    // The first request holds the whole budget: the second waits undecoded and the socket is paused.
    expect(socket.paused).toBeGreaterThan(0);
    expect(socket.isPaused()).toBe(true);
    expect(correlationIds(socket)).toEqual([]);
    gates.get('slow')?.resolve();
    for (let i = 0; i < 20 && correlationIds(socket).length < 2; i++) await tick();
    expect(correlationIds(socket)).toEqual([first.readInt32BE(8), second.readInt32BE(8)]);
    expect(socket.isPaused()).toBe(false);
  });
});

describe('KafkaConnection requests answered with nothing', () => {
  it('writes nothing for them, keeps later answers in order and frees their memory', async () => {
    const silent = heartbeat('silent-1');
    // Room for exactly one request at a time: the next one is read only once the silent one's
    // memory is given back, so the answer below proves the release.
    const socket = open({ connectionMemoryBytes: silent.length });
    await authenticate(socket);
    gates.set('silent-1', deferred());
    const after = heartbeat('after');
    socket.fromClient(Buffer.concat([silent, after, heartbeat('silent-2')]));
    await tick();
    expect(correlationIds(socket)).toEqual([]);
    gates.get('silent-1')?.resolve();
    for (let i = 0; i < 20 && correlationIds(socket).length < 1; i++) await tick();
    for (let i = 0; i < 5; i++) await tick();
    expect(correlationIds(socket)).toEqual([after.readInt32BE(8)]);
    expect(errorLines).toEqual([]);
  });
});

describe('KafkaConnection in-flight cap', () => {
  it('pauses reading at the cap and resumes when a response leaves', async () => {
    const socket = open({ connectionMemoryBytes: 1 << 20, maxInFlightRequests: 1 });
    await authenticate(socket);
    gates.set('cap-1', deferred());
    const frames = [heartbeat('cap-1'), heartbeat('cap-2')];
    socket.fromClient(Buffer.concat(frames));
    await tick();
    expect(socket.isPaused()).toBe(true);
    expect(correlationIds(socket)).toEqual([]);
    gates.get('cap-1')?.resolve();
    for (let i = 0; i < 20 && correlationIds(socket).length < 2; i++) await tick();
    expect(correlationIds(socket)).toEqual(frames.map((f) => f.readInt32BE(8)));
    expect(socket.isPaused()).toBe(false);
  });
});

describe('KafkaConnection under hostile input', () => {
  const frameArb = fc
    .record({
      apiKey: fc.constantFrom(3, 12, 17, 18, 36, 999, -1),
      apiVersion: fc.integer({ min: -2, max: 20 }),
      body: fc.uint8Array({ maxLength: 64 }),
    })
    .map(({ apiKey, apiVersion, body }) => {
      const frame = Buffer.alloc(4 + 8 + body.length);
      frame.writeInt32BE(8 + body.length, 0);
      frame.writeInt16BE(apiKey, 4);
      frame.writeInt16BE(apiVersion, 6);
      frame.writeInt32BE(7, 8);
      Buffer.from(body).copy(frame, 12);
      return frame;
    });
  const streamArb = fc.array(fc.oneof(frameArb, fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b))), { maxLength: 8 });

  it('never throws out of the socket, before or after authentication', async () => {
    await fc.assert(
      fc.asyncProperty(streamArb, fc.boolean(), async (chunks, authenticated) => {
        const socket = open({ connectionMemoryBytes: 1 << 20 });
        if (authenticated) await authenticate(socket);
        for (const chunk of chunks) socket.fromClient(chunk);
        for (let i = 0; i < 5; i++) await tick();
        socket.destroy();
      }),
      { numRuns: 150 },
    );
    expect(errorLines).toEqual([]);
  });
});
