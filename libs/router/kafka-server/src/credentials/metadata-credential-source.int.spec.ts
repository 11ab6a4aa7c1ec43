// MetadataCredentialSource against a real in-process gRPC server speaking MetadataService: the
// answers of the metadata side map to "authenticated", "not authenticated" or "could not check".
import { Server, ServerCredentials, status, type ServerErrorResponse, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient } from '@stratus/platform-grpc';
import { CredentialSourceUnavailableError } from './credential-source-unavailable';
import { MetadataCredentialSource } from './metadata-credential-source';
import { deriveScramCredentialSync } from '@stratus/kafka-scram';

type Behaviour = 'answer' | 'unavailable' | 'invalid-argument' | 'slow' | 'bad-credential';

const stored = deriveScramCredentialSync({ mechanism: 'SCRAM-SHA-256', password: 'secret', salt: randomBytes(16), iterations: 4096 });

describe('MetadataCredentialSource', () => {
  let server: Server;
  let address: string;
  let behaviour: Behaviour = 'answer';
  const seenPasswords: string[] = [];
  const clients: { close(): void }[] = [];

  function fail(code: status): ServerErrorResponse {
    return Object.assign(new Error(`refused with ${code}`), { code });
  }

  beforeAll(async () => {
    server = new Server();
    const impl: UntypedServiceImplementation = {
      getScramCredential: ((call, callback) => {
        const { username, mechanism } = call.request;
        if (behaviour === 'unavailable') return callback(fail(status.UNAVAILABLE));
        if (behaviour === 'invalid-argument') return callback(fail(status.INVALID_ARGUMENT));
        if (behaviour === 'slow') return void setTimeout(() => callback(fail(status.UNAVAILABLE)), 2_000).unref();
        if (username !== 'key-1') {
          return callback(null, { found: false, keyId: '', mechanism, salt: Buffer.alloc(0), iterations: 0, storedKey: Buffer.alloc(0), serverKey: Buffer.alloc(0) });
        }
        callback(null, {
          found: true,
          tenantId: { value: 'tenant-a' },
          keyId: 'key-1',
          mechanism,
          salt: stored.salt,
          iterations: behaviour === 'bad-credential' ? 1 : stored.iterations,
          storedKey: stored.storedKey,
          serverKey: stored.serverKey,
        });
      }) satisfies metadataV1.MetadataServiceServer['getScramCredential'],
      verifyPlainCredential: ((call, callback) => {
        seenPasswords.push(call.request.password);
        if (behaviour === 'unavailable') return callback(fail(status.UNAVAILABLE));
        const ok = call.request.username === 'key-1' && call.request.password === 'secret';
        callback(null, ok ? { authenticated: true, tenantId: { value: 'tenant-a' }, keyId: 'key-1' } : { authenticated: false, keyId: '' });
      }) satisfies metadataV1.MetadataServiceServer['verifyPlainCredential'],
    };
    server.addService(metadataV1.MetadataServiceService, impl);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    address = `127.0.0.1:${port}`;
  });

  afterAll(() => {
    for (const client of clients) client.close();
    server.forceShutdown();
  });

  beforeEach(() => {
    behaviour = 'answer';
  });

  function source(options: { address?: string; timeoutMs?: number } = {}) {
    const client = createGrpcClient(metadataV1.MetadataServiceClient, options.address ?? address);
    clients.push(client);
    return new MetadataCredentialSource({ client, timeoutMs: options.timeoutMs ?? 1_000 });
  }

  it('returns the SCRAM credential and the key tenant for a known key', async () => {
    const lookup = await source().scramCredential('key-1', 'SCRAM-SHA-256');
    expect(lookup?.principal).toEqual({ username: 'key-1', tenantId: 'tenant-a' });
    expect(lookup?.credential.iterations).toBe(4096);
    expect(lookup?.credential.storedKey.equals(stored.storedKey)).toBe(true);
    expect(lookup?.credential.serverKey.equals(stored.serverKey)).toBe(true);
    expect(lookup?.credential.salt.equals(stored.salt)).toBe(true);
  });

  it('answers "no credential" for an unknown key and for a request the service calls invalid', async () => {
    expect(await source().scramCredential('nobody', 'SCRAM-SHA-256')).toBeUndefined();
    behaviour = 'invalid-argument';
    expect(await source().scramCredential('key-1', 'SCRAM-SHA-256')).toBeUndefined();
  });

  it('checks PLAIN on the metadata side: right secret → principal, wrong secret → undefined', async () => {
    const s = source();
    expect(await s.verifyPlain('key-1', 'secret')).toEqual({ username: 'key-1', tenantId: 'tenant-a' });
    expect(await s.verifyPlain('key-1', 'wrong')).toBeUndefined();
    expect(await s.verifyPlain('nobody', 'secret')).toBeUndefined();
  });

  it('turns a transport failure into CredentialSourceUnavailableError without the password in the message', async () => {
    behaviour = 'unavailable';
    const error = await source().verifyPlain('key-1', 'hunter2-secret').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialSourceUnavailableError);
    expect((error as Error).message).toBe('VerifyPlainCredential failed: UNAVAILABLE');
    expect(seenPasswords).toContain('hunter2-secret');
    await expect(source().scramCredential('key-1', 'SCRAM-SHA-512')).rejects.toBeInstanceOf(CredentialSourceUnavailableError);
  });

  it('gives up at its deadline when the service does not answer', async () => {
    behaviour = 'slow';
    const error = await source({ timeoutMs: 200 }).scramCredential('key-1', 'SCRAM-SHA-256').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CredentialSourceUnavailableError);
    expect((error as Error).message).toBe('GetScramCredential failed: DEADLINE_EXCEEDED');
  });

  it('reports an unreachable service as unavailable', async () => {
    const closed = new Server();
    const port = await new Promise<number>((resolve, reject) =>
      closed.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    closed.forceShutdown();
    await expect(source({ address: `127.0.0.1:${port}`, timeoutMs: 500 }).verifyPlain('key-1', 'secret')).rejects.toBeInstanceOf(
      CredentialSourceUnavailableError,
    );
  });

  it('refuses a credential the SCRAM exchange cannot use (too few iterations) as unavailable, not as a login', async () => {
    behaviour = 'bad-credential';
    await expect(source().scramCredential('key-1', 'SCRAM-SHA-256')).rejects.toBeInstanceOf(CredentialSourceUnavailableError);
  });
});
