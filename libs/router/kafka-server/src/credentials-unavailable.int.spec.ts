// When credentials cannot be checked (metadata unreachable), a Kafka client must see a closed
// connection — retriable for Java clients and librdkafka — never SASL_AUTHENTICATION_FAILED (fatal
// to every client) and never a detail of the cause; the router's own log keeps the cause.
import type { ApiVersionsResponse, SaslHandshakeResponse } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { Kafka, logLevel, type SASLOptions } from 'kafkajs';
import { CredentialSourceUnavailableError } from './credentials/credential-source-unavailable';
import type { CredentialSource } from './credentials/credential-source';
import { startKafkaListener, type KafkaListener } from './listener';
import { RawClient } from '@stratus/kafka-raw-client';

const logLines: string[] = [];
const logger = createLogger({ service: 'router-test', level: 'info', destination: { write: (line: string) => void logLines.push(line) } });
const unavailable = (): Promise<never> => Promise.reject(new CredentialSourceUnavailableError('GetScramCredential failed: UNAVAILABLE'));
const credentials: CredentialSource = { scramCredential: unavailable, verifyPlain: unavailable };

let listener: KafkaListener;

beforeAll(async () => {
  listener = await startKafkaListener({ credentials, logger, failedAuthenticationDelayMs: 0 });
});

afterAll(async () => {
  await listener.close();
});

it('closes the connection without answering SaslAuthenticate, and logs the cause', async () => {
  const client = await RawClient.connect(listener.port);
  await client.call<ApiVersionsResponse>(18, 3, { clientSoftwareName: 'raw', clientSoftwareVersion: '1.0' });
  expect((await client.call<SaslHandshakeResponse>(17, 1, { mechanism: 'PLAIN' })).body.errorCode).toBe(0);
  client.send(36, 2, { authBytes: Buffer.from('\0alice\0pw', 'utf8') });
  expect(await client.waitClosed()).toBe(true);
  expect(logLines.join('\n')).toContain('GetScramCredential failed: UNAVAILABLE');
});

// Java clients and librdkafka treat a connection closed during authentication as a disconnect and
// retry; kafkajs wraps every error inside its SASL step as KafkaJSSASLAuthenticationError, so what
// can be checked with it is that the client saw a closed connection, not an answer, and no cause.
it.each(['plain', 'scram-sha-256'] as const)('gives kafkajs a closed connection over %s, with no detail of the cause', async (mechanism) => {
  const admin = new Kafka({
    clientId: 'kafkajs-unavailable',
    brokers: [`127.0.0.1:${listener.port}`],
    sasl: { mechanism, username: 'alice', password: 'pw' } as SASLOptions,
    logLevel: logLevel.NOTHING,
    retry: { retries: 0 },
  }).admin();
  const error = (await admin.connect().catch((e: unknown) => e)) as Error;
  await admin.disconnect();
  expect(error.message).toMatch(/Closed connection$/);
  expect(error.message).not.toContain('UNAVAILABLE');
});
