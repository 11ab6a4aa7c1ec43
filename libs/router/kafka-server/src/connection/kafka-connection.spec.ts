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
import { encodeRequestFrame } from '@stratus/kafka-raw-client';
import { tenantId } from '../types';
import { KafkaConnection } from './kafka-connection';
import { TenantBudgets } from './memory-budget';
import type { QuotaPolicy } from './quota-policy';

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
  /** How many chunks each write to the "kernel" carried (one entry per syscall a real socket makes). */
  readonly writeBatches: number[] = [];
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.received.push(chunk);
    this.writeBatches.push(1);
    callback();
  }
  override _writev(chunks: Array<{ chunk: Buffer }>, callback: () => void): void {
    for (const { chunk } of chunks) this.received.push(chunk);
    this.writeBatches.push(chunks.length);
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
/** The client host each handled request saw (ACLs and group member hosts depend on it). */
const seenHosts: Array<string | undefined> = [];
const gatedHeartbeat: ApiHandler = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  async handle(ctx, request) {
    seenHosts.push(ctx.clientHost);
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

function open(options: { connectionMemoryBytes: number; maxInFlightRequests?: number; quotas?: QuotaPolicy }): FakeSocket {
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
    ...(options.quotas ? { quotas: options.quotas } : {}),
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

  it('writes every response that completes in one event-loop turn in one writev, in order', async () => {
    const socket = open({ connectionMemoryBytes: 1 << 20 });
    await authenticate(socket);
    socket.writeBatches.length = 0;
    const members = ['w1', 'w2', 'w3'];
    for (const m of members) gates.set(m, deferred());
    const frames = members.map(heartbeat);
    socket.fromClient(Buffer.concat(frames));
    await tick();
    for (const m of [...members].reverse()) gates.get(m)?.resolve();
    for (let i = 0; i < 20 && correlationIds(socket).length < 3; i++) await tick();
    expect(correlationIds(socket)).toEqual(frames.map((f) => f.readInt32BE(8)));
    expect(socket.writeBatches).toEqual([3]);
    // A response completing in a later turn is not held back by the earlier batch.
    gates.set('w4', deferred());
    const late = heartbeat('w4');
    socket.fromClient(late);
    await tick();
    gates.get('w4')?.resolve();
    for (let i = 0; i < 20 && correlationIds(socket).length < 4; i++) await tick();
    expect(correlationIds(socket).at(-1)).toBe(late.readInt32BE(8));
    expect(socket.writeBatches).toEqual([3, 1]);
  });

  it("hands handlers the client's address (ACL host matching, DescribeGroups member host)", async () => {
    const socket = open({ connectionMemoryBytes: 1 << 20 });
    await authenticate(socket);
    seenHosts.length = 0;
    socket.fromClient(heartbeat('host-check'));
    for (let i = 0; i < 20 && seenHosts.length === 0; i++) await tick();
    expect(seenHosts).toEqual(['10.0.0.1']);
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
    // 150 runs take ~3.5 s on an idle machine: give a loaded CI machine room (no speed is asserted).
  }, 60_000);
});

describe('KafkaConnection quota hook', () => {
  /** Answered frames without size prefix: [correlation id][header tags][throttle_time_ms]... (Heartbeat v4). */
  function frames(socket: FakeSocket): Buffer[] {
    const reader = new FrameReader({ minFrameBytes: 0 });
    for (const chunk of socket.received) reader.push(chunk);
    return [...reader];
  }

  it('answers at once with throttle_time_ms, then reads nothing more until the throttle has passed (KIP-219)', async () => {
    const usage: Array<{ tenant: string; apiKey: number; requestBytes: number }> = [];
    const quotas: QuotaPolicy = {
      recordRequest: (u) => {
        usage.push({ tenant: u.tenant, apiKey: u.apiKey, requestBytes: u.requestBytes });
        return 300;
      },
      admitConnection: () => ({ kind: 'admit', delayMs: 0, release: () => undefined }),
    };
    const socket = open({ connectionMemoryBytes: 1 << 20, quotas });
    await authenticate(socket);
    const first = heartbeat('q-1');
    socket.fromClient(first);
    for (let i = 0; i < 20 && frames(socket).length < 1; i++) await tick();
    const answered = frames(socket);
    expect(answered).toHaveLength(1);
    expect(answered[0]?.readInt32BE(5)).toBe(300);
    expect(usage).toEqual([{ tenant: 't', apiKey: 12, requestBytes: first.length - 4 }]); // the frame without its size prefix
    const mutedAt = Date.now();
    expect(socket.isPaused()).toBe(true);
    socket.fromClient(heartbeat('q-2'));
    for (let i = 0; i < 10; i++) await tick();
    expect(frames(socket)).toHaveLength(1);
    while (frames(socket).length < 2 && Date.now() - mutedAt < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(frames(socket)).toHaveLength(2);
    // Timers may fire a little early or late; the point is that the second request waited.
    expect(Date.now() - mutedAt).toBeGreaterThanOrEqual(250);
    expect(errorLines).toEqual([]);
  });

  it('leaves responses alone within quota and never reports unauthenticated requests', async () => {
    const seen: number[] = [];
    const quotas: QuotaPolicy = {
      recordRequest: (u) => {
        seen.push(u.apiKey);
        return 0;
      },
      admitConnection: () => ({ kind: 'admit', delayMs: 0, release: () => undefined }),
    };
    const socket = open({ connectionMemoryBytes: 1 << 20, quotas });
    await authenticate(socket);
    socket.fromClient(heartbeat('ok'));
    for (let i = 0; i < 20 && frames(socket).length < 1; i++) await tick();
    expect(frames(socket)[0]?.readInt32BE(5)).toBe(0);
    expect(socket.isPaused()).toBe(false);
    // SaslHandshake and SaslAuthenticate came before the tenant was known.
    expect(seen).toEqual([12]);
  });

  it('closes after the authentication answer when the tenant is over its connection quota, and releases admitted ones on close', async () => {
    const refusing: QuotaPolicy = { recordRequest: () => 0, admitConnection: () => ({ kind: 'refuse', reason: 'limit 1' }) };
    const refused = open({ connectionMemoryBytes: 1 << 20, quotas: refusing });
    const closed = new Promise<void>((r) => refused.once('close', () => r()));
    refused.fromClient(request(17, 1, { mechanism: 'PLAIN' }));
    refused.fromClient(request(36, 2, { authBytes: Buffer.from('\0u\0p') }));
    await closed;
    // Both answers were written before the close.
    expect(correlationIds(refused)).toHaveLength(2);

    let released = 0;
    const admitting: QuotaPolicy = { recordRequest: () => 0, admitConnection: () => ({ kind: 'admit', delayMs: 0, release: () => void released++ }) };
    const admitted = open({ connectionMemoryBytes: 1 << 20, quotas: admitting });
    await authenticate(admitted);
    expect(released).toBe(0);
    admitted.destroy();
    for (let i = 0; i < 5 && released === 0; i++) await tick();
    expect(released).toBe(1);
  });
});
