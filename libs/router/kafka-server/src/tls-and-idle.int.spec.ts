// TLS listener with a real client, and the idle timeout (connections.max.idle.ms).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ApiVersionsResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { Kafka, logLevel } from 'kafkajs';
import { InMemoryCredentialSource } from './credentials/in-memory-credential-source';
import { startKafkaListener, type KafkaListener } from './listener';
import { RawClient } from '@stratus/kafka-raw-client';
import { tenantId } from './types';

const logger = createLogger({ service: 'router-test', level: 'silent' });
const credentials = new InMemoryCredentialSource([{ username: 'alice', password: 'pw', tenantId: tenantId('t-1') }]);

describe('TLS listener', () => {
  let dir: string;
  let cert: Buffer;
  let listener: KafkaListener;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'router-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    cert = readFileSync(join(dir, 'cert.pem'));
    listener = await startKafkaListener({ credentials, logger, tls: { key: readFileSync(join(dir, 'key.pem')), cert } });
  });

  afterAll(async () => {
    await listener.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves kafkajs over TLS with SCRAM-SHA-512', async () => {
    const kafka = new Kafka({
      clientId: 'kafkajs-tls',
      brokers: [`127.0.0.1:${listener.port}`],
      ssl: { ca: [cert] },
      sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'pw' },
      logLevel: logLevel.NOTHING,
      retry: { retries: 0 },
    });
    const admin = kafka.admin();
    await admin.connect();
    await expect(admin.listTopics()).resolves.toEqual([]);
    await admin.disconnect();
  });

  it('closes a plaintext client that speaks Kafka to the TLS port', async () => {
    const client = await RawClient.connect(listener.port);
    client.send(18, 0, {});
    expect(await client.waitClosed()).toBe(true);
  });
});

describe('idle timeout', () => {
  let listener: KafkaListener;
  beforeAll(async () => {
    listener = await startKafkaListener({ credentials, logger, idleTimeoutMs: 300 });
  });
  afterAll(() => listener.close());

  it('closes a connection that stays idle and keeps one that is busy', async () => {
    const idle = await RawClient.connect(listener.port);
    const busy = await RawClient.connect(listener.port);
    for (let i = 0; i < 6; i++) {
      await busy.call<ApiVersionsResponse>(18, 0, {});
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(idle.closed).toBe(true);
    expect(busy.closed).toBe(false);
    expect(listener.connectionCount).toBe(1);
    busy.close();
  });
});
