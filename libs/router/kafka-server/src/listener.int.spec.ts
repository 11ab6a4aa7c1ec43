// Real clients (kafkajs, @platformatic/kafka) and hand-built frames against an in-process listener.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { ApiVersionsResponse, MetadataResponse, SaslAuthenticateResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { createMetrics } from '@stratus/platform-metrics';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { InMemoryCredentialSource } from './credentials/in-memory-credential-source';
import { startKafkaListener, type KafkaListener } from './listener';
import { RawClient } from '@stratus/kafka-raw-client';
import { tenantId } from './types';

const DELAY_MS = 150;
const logLines: string[] = [];
const logger = createLogger({ service: 'router-test', level: 'debug', destination: { write: (line: string) => void logLines.push(line) } });
const credentials = new InMemoryCredentialSource([
  { username: 'alice', password: 'alice-secret', tenantId: tenantId('t-1') },
  { username: 'bob', password: 'bob-secret', tenantId: tenantId('t-2') },
]);
const metrics = createMetrics({ service: 'router-test', processMetrics: false });
let listener: KafkaListener;
let healthy: RawClient;

function plainToken(user: string, password: string): Buffer {
  return Buffer.from(`\0${user}\0${password}`, 'utf8');
}

/** ApiVersions + handshake + PLAIN authenticate on a raw connection. */
async function authenticatePlain(client: RawClient, user = 'alice', password = 'alice-secret'): Promise<SaslAuthenticateResponse> {
  await client.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1.0' });
  const hs = await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' });
  expect(hs.body.errorCode).toBe(0);
  return (await client.call<SaslAuthenticateResponse>(36, 2, { authBytes: plainToken(user, password) })).body;
}

async function expectHealthy(): Promise<void> {
  const md = await healthy.call<MetadataResponse>(3, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false });
  expect(md.body.brokers).toEqual([expect.objectContaining({ nodeId: 0, port: listener.port })]);
}

beforeAll(async () => {
  listener = await startKafkaListener({ credentials, logger, metrics, failedAuthenticationDelayMs: DELAY_MS, maxRequestBytes: 1024 * 1024 });
  healthy = await RawClient.connect(listener.port);
  expect((await authenticatePlain(healthy)).errorCode).toBe(0);
});

afterAll(async () => {
  healthy.close();
  await listener.close();
});

afterEach(async () => {
  // The long-lived authenticated connection keeps working whatever the test did to its own connection.
  await expectHealthy();
});

describe('kafkajs', () => {
  const mechanisms: SASLOptions['mechanism'][] = ['plain', 'scram-sha-256', 'scram-sha-512'];
  it.each(mechanisms)('authenticates with %s and lists no topics', async (mechanism) => {
    const kafka = new Kafka({
      clientId: 'kafkajs-it',
      brokers: [`127.0.0.1:${listener.port}`],
      sasl: { mechanism, username: 'alice', password: 'alice-secret' } as SASLOptions,
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await expect(admin.listTopics()).resolves.toEqual([]);
    await admin.disconnect();
  });

  it('is refused with SASL_AUTHENTICATION_FAILED for a wrong password', async () => {
    const kafka = new Kafka({
      clientId: 'kafkajs-it',
      brokers: [`127.0.0.1:${listener.port}`],
      sasl: { mechanism: 'scram-sha-256', username: 'alice', password: 'wrong' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await expect(admin.connect()).rejects.toMatchObject({ name: 'KafkaJSSASLAuthenticationError' });
    await admin.disconnect();
  });
});

/** @platformatic/kafka is ESM-only, so it runs in a child process (see the fixture script). */
function platformaticListTopics(mechanism: string, username: string, password: string): Promise<{ ok: boolean; topics?: string[]; error?: string }> {
  const script = join(__dirname, '__fixtures__', 'platformatic-list-topics.mjs');
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, String(listener.port), mechanism, username, password], { timeout: 60_000 }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout.trim().split('\n').pop() as string));
    });
  });
}

describe('@platformatic/kafka', () => {
  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('authenticates with %s and lists no topics', async (mechanism) => {
    await expect(platformaticListTopics(mechanism, 'bob', 'bob-secret')).resolves.toEqual({ ok: true, topics: [] });
  });

  it('is refused for a wrong password', async () => {
    const result = await platformaticListTopics('SCRAM-SHA-512', 'bob', 'nope');
    expect(result.ok).toBe(false);
    // The cause chain carries platformatic's authentication error and Kafka error code 58.
    expect(result.error?.split(',')).toEqual(expect.arrayContaining(['PLT_KFK_AUTHENTICATION', '58']));
  });
});

describe('raw frames', () => {
  it('closes on a 2 GiB size prefix without buffering it', async () => {
    const client = await RawClient.connect(listener.port);
    const prefix = Buffer.alloc(4);
    prefix.writeUInt32BE(0x7fffffff);
    client.sendRaw(prefix);
    expect(await client.nextFrame()).toBeUndefined();
    expect(client.closed).toBe(true);
  });

  it('closes on a negative size prefix', async () => {
    const client = await RawClient.connect(listener.port);
    client.sendRaw(Buffer.from([0x80, 0, 0, 0]));
    expect(await client.waitClosed()).toBe(true);
  });

  it('closes on an unknown API key', async () => {
    const client = await RawClient.connect(listener.port);
    const frame = Buffer.alloc(4 + 12);
    frame.writeInt32BE(12, 0);
    frame.writeInt16BE(0x7abc, 4);
    client.sendRaw(frame);
    expect(await client.waitClosed()).toBe(true);
  });

  it('closes on an undecodable body and logs the client id', async () => {
    const client = await RawClient.connect(listener.port);
    // ApiVersions v3 header (flexible, header v2) followed by a compact string claiming 100 bytes.
    const header = Buffer.from([0, 18, 0, 3, 0, 0, 0, 7, 0, 9, ...Buffer.from('garbage-1'), 0]);
    const body = Buffer.from([101, 1, 2]);
    const frame = Buffer.concat([Buffer.alloc(4), header, body]);
    frame.writeInt32BE(frame.length - 4, 0);
    client.sendRaw(frame);
    expect(await client.waitClosed()).toBe(true);
    expect(logLines.some((l) => l.includes('protocol violation') && l.includes('"clientId":"garbage-1"'))).toBe(true);
  });

  it('closes on a request before authentication', async () => {
    const client = await RawClient.connect(listener.port);
    client.send(3, 12, { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false }, { clientId: 'too-early' });
    expect(await client.nextFrame()).toBeUndefined();
    expect(logLines.some((l) => l.includes('Metadata request before authentication') && l.includes('too-early'))).toBe(true);
  });

  it('answers garbage SASL bytes with SASL_AUTHENTICATION_FAILED after the delay, then closes', async () => {
    const client = await RawClient.connect(listener.port);
    await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'SCRAM-SHA-256' });
    const started = Date.now();
    const auth = await client.call<SaslAuthenticateResponse>(36, 1, { authBytes: Buffer.from([0xff, 0x00, 0x13, 0x37]) });
    expect(Date.now() - started).toBeGreaterThanOrEqual(DELAY_MS - 10);
    expect(auth.body.errorCode).toBe(58);
    expect(auth.body.errorMessage).toMatch(/Authentication failed/);
    expect(await client.waitClosed()).toBe(true);
  });

  it('answers an unknown mechanism with UNSUPPORTED_SASL_MECHANISM and the enabled list', async () => {
    const client = await RawClient.connect(listener.port);
    const hs = await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'GSSAPI' });
    expect(hs.body).toEqual({ errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] });
    expect(await client.waitClosed()).toBe(true);
  });

  it('closes on SaslAuthenticate before SaslHandshake', async () => {
    const client = await RawClient.connect(listener.port);
    client.send(36, 2, { authBytes: plainToken('alice', 'alice-secret') });
    expect(await client.nextFrame()).toBeUndefined();
  });

  it('answers an unknown ApiVersions version with UNSUPPORTED_VERSION in a v0 body (KIP-511)', async () => {
    const client = await RawClient.connect(listener.port);
    // v9 is unknown; its header is read as v2 (flexible) and the body ignored.
    const frame = Buffer.from([0, 0, 0, 0, 0, 18, 0, 9, 0, 0, 0, 42, 0, 3, ...Buffer.from('new'), 0, 7, 7, 7]);
    frame.writeInt32BE(frame.length - 4, 0);
    client.sendRaw(frame);
    const response = await client.nextFrame();
    expect(response).toBeDefined();
    const r = response as Buffer;
    expect(r.readInt32BE(0)).toBe(42);
    // v0 body: error code, then an int32 array of (key, min, max).
    expect(r.readInt16BE(4)).toBe(35);
    expect(r.readInt32BE(6)).toBe(1);
    expect([r.readInt16BE(10), r.readInt16BE(12), r.readInt16BE(14)]).toEqual([18, 0, 5]);
    expect(r.length).toBe(16);
    client.close();
  });

  it('closes on an unsupported version of another API', async () => {
    const client = await RawClient.connect(listener.port);
    await authenticatePlain(client);
    const frame = Buffer.from([0, 0, 0, 0, 0, 3, 0, 99, 0, 0, 0, 1, 0xff, 0xff, 0]);
    frame.writeInt32BE(frame.length - 4, 0);
    client.sendRaw(frame);
    expect(await client.waitClosed()).toBe(true);
  });

  it('answers pipelined requests strictly in order', async () => {
    const client = await RawClient.connect(listener.port);
    const sent: number[] = [];
    for (let i = 0; i < 20; i++) sent.push(client.send(18, i % 4, i % 4 >= 3 ? { clientSoftwareName: 'pipe', clientSoftwareVersion: '1' } : {}));
    sent.push(client.send(17, 1, { mechanism: 'SCRAM-SHA-512' }));
    const received: number[] = [];
    for (let i = 0; i < sent.length; i++) received.push(((await client.nextFrame()) as Buffer).readInt32BE(0));
    expect(received).toEqual(sent);
    client.close();
  });

  it('supports the legacy v0 handshake with raw SASL tokens', async () => {
    const client = await RawClient.connect(listener.port);
    const hs = await client.call<SaslHandshakeResponse>(17, 0, { mechanism: 'PLAIN' });
    expect(hs.body.errorCode).toBe(0);
    const token = plainToken('alice', 'alice-secret');
    const frame = Buffer.alloc(4 + token.length);
    frame.writeInt32BE(token.length, 0);
    token.copy(frame, 4);
    client.sendRaw(frame);
    expect(await client.nextFrame()).toEqual(Buffer.alloc(0));
    const md = await client.call<MetadataResponse>(3, 1, { topics: [{ name: 'orders' }] });
    expect(md.body.topics).toEqual([expect.objectContaining({ name: 'orders', errorCode: 3 })]);
    client.close();
  });

  it('reports connections, requests and auth failures as metrics', async () => {
    const text = await metrics.render();
    expect(text).toMatch(/stratus_router_connections\{tenant="t-1"\} [1-9]/);
    expect(text).toMatch(/stratus_router_requests_total\{api="SaslAuthenticate"\} [1-9]/);
    expect(text).toMatch(/stratus_router_auth_failures_total\{mechanism="SCRAM-SHA-256"\} [1-9]/);
    expect(text).toMatch(/stratus_router_bytes_in_total\{tenant="unauthenticated"\} [1-9]/);
  });
});

describe('session lifetime (KIP-368)', () => {
  let short: KafkaListener;
  beforeAll(async () => {
    short = await startKafkaListener({ credentials, logger, maxSessionLifetimeMs: 400, failedAuthenticationDelayMs: 0 });
  });
  afterAll(() => short.close());

  it('returns the session lifetime, allows re-authentication, and closes after expiry', async () => {
    const client = await RawClient.connect(short.port);
    const first = await authenticatePlain(client);
    expect(first.sessionLifetimeMs).toBe(400n);
    // Re-authenticate on the same connection: a new handshake + authenticate.
    expect((await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' })).body.errorCode).toBe(0);
    const again = await client.call<SaslAuthenticateResponse>(36, 2, { authBytes: plainToken('alice', 'alice-secret') });
    expect(again.body.errorCode).toBe(0);
    await new Promise((r) => setTimeout(r, 500));
    client.send(3, 1, { topics: null });
    expect(await client.nextFrame()).toBeUndefined();
  });

  it('refuses re-authentication as another principal', async () => {
    const client = await RawClient.connect(short.port);
    await authenticatePlain(client);
    await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' });
    const other = await client.call<SaslAuthenticateResponse>(36, 2, { authBytes: plainToken('bob', 'bob-secret') });
    expect(other.body.errorCode).toBe(58);
    expect(await client.waitClosed()).toBe(true);
  });
});

describe('logs', () => {
  it('never contain a password or SASL token, while naming clients and tenants', () => {
    const all = logLines.join('\n');
    for (const secret of ['alice-secret', 'bob-secret', '"nope"', 'wrong']) expect(all).not.toContain(secret);
    expect(all).toContain('"tenant":"t-1"');
    expect(all).toContain('"clientId":"kafkajs-it"');
  });
});
