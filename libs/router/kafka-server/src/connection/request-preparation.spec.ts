import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { encodeRequestFrame } from '@stratus/kafka-raw-client';
import { apiVersionsHandler } from '../handlers/api-versions';
import { metadataHandler } from '../handlers/metadata';
import { HandlerRegistry } from '../handlers/registry';
import { saslAuthenticateHandler } from '../handlers/sasl-authenticate';
import { saslHandshakeHandler } from '../handlers/sasl-handshake';
import { parsePlainMessage } from '../sasl/plain-server';
import { parseClientFirst } from '@stratus/kafka-scram';
import { prepareRequest } from './request-preparation';

const registry = new HandlerRegistry([apiVersionsHandler, saslHandshakeHandler, saslAuthenticateHandler({ failedAuthenticationDelayMs: 0 }), metadataHandler]);
const frame = (options: { apiKey: number; apiVersion: number; body: unknown }) =>
  encodeRequestFrame({ ...options, correlationId: 9, clientId: 'unit' }).subarray(4);

const GOLDEN = join(__dirname, '../../../../kafka/messages/src/__fixtures__/golden');
interface Fixture {
  client: string;
  apiKey: number;
  apiVersion: number;
  file: string;
}
const fixtures = (JSON.parse(readFileSync(join(GOLDEN, 'index.json'), 'utf8')) as { fixtures: Fixture[] }).fixtures;

describe('prepareRequest', () => {
  it('closes on an unknown API key and on an API this router does not serve yet', () => {
    const unknown = Buffer.alloc(10);
    unknown.writeInt16BE(999, 0);
    expect(prepareRequest(unknown, { registry, authenticated: true })).toMatchObject({ kind: 'violation', reason: 'unknown API key 999' });
    const heartbeat = frame({ apiKey: 12, apiVersion: 4, body: { groupId: 'g', generationId: 1, memberId: 'm', groupInstanceId: null } });
    expect(prepareRequest(heartbeat, { registry, authenticated: true })).toMatchObject({ kind: 'violation', reason: expect.stringMatching(/not served/) });
  });

  it('lets only ApiVersions and SASL through before authentication', () => {
    const md = frame({ apiKey: 3, apiVersion: 12, body: { topics: null, allowAutoTopicCreation: false, includeTopicAuthorizedOperations: false } });
    expect(prepareRequest(md, { registry, authenticated: false })).toMatchObject({ kind: 'violation', reason: 'Metadata request before authentication' });
    expect(prepareRequest(md, { registry, authenticated: true })).toMatchObject({ kind: 'dispatch', header: { clientId: 'unit', correlationId: 9 } });
    for (const apiKey of [17, 18, 36]) {
      const body = apiKey === 17 ? { mechanism: 'PLAIN' } : apiKey === 36 ? { authBytes: Buffer.from('x') } : {};
      expect(prepareRequest(frame({ apiKey, apiVersion: 1, body }), { registry, authenticated: false }).kind).toBe('dispatch');
    }
  });

  it('answers an unknown ApiVersions version and closes on unknown versions of other APIs', () => {
    const v9 = Buffer.from([0, 18, 0, 9, 0, 0, 0, 1, 0xff, 0xff, 0]);
    expect(prepareRequest(v9, { registry, authenticated: false })).toMatchObject({ kind: 'answer', apiVersion: 0, response: { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 5 }] } });
    const md99 = Buffer.from([0, 3, 0, 99, 0, 0, 0, 1, 0xff, 0xff, 0]);
    expect(prepareRequest(md99, { registry, authenticated: true })).toMatchObject({ kind: 'violation', reason: 'unsupported version 99 of Metadata' });
  });

  it('closes on a truncated header or body', () => {
    expect(prepareRequest(Buffer.from([0, 18, 0, 3, 0, 0, 0]), { registry, authenticated: false }).kind).toBe('violation');
    const good = frame({ apiKey: 17, apiVersion: 1, body: { mechanism: 'PLAIN' } });
    expect(prepareRequest(good.subarray(0, good.length - 2), { registry, authenticated: false })).toMatchObject({ kind: 'violation', reason: expect.stringMatching(/undecodable SaslHandshake v1 body/) });
  });

  it('dispatches every golden ApiVersions / SASL frame captured from real clients', () => {
    const relevant = fixtures.filter((f) => [17, 18, 36].includes(f.apiKey));
    expect(relevant.length).toBeGreaterThan(20);
    for (const f of relevant) {
      const prepared = prepareRequest(readFileSync(join(GOLDEN, f.file)), { registry, authenticated: false });
      expect({ file: f.file, kind: prepared.kind }).toEqual({ file: f.file, kind: 'dispatch' });
    }
  });

  it('parses the SASL tokens real clients sent (PLAIN messages and SCRAM client-first messages)', () => {
    let plain = 0;
    let scramFirst = 0;
    for (const f of fixtures.filter((x) => x.apiKey === 36)) {
      const prepared = prepareRequest(readFileSync(join(GOLDEN, f.file)), { registry, authenticated: false });
      if (prepared.kind !== 'dispatch') throw new Error(`${f.file} did not decode`);
      const token = (prepared.request as { authBytes: Buffer }).authBytes.toString('utf8');
      if (token.startsWith('n,')) {
        const first = parseClientFirst(token);
        expect({ file: f.file, ok: typeof first !== 'string' }).toEqual({ file: f.file, ok: true });
        scramFirst++;
      } else if (token.includes('\0')) {
        expect({ file: f.file, ok: typeof parsePlainMessage(Buffer.from(token)) !== 'string' }).toEqual({ file: f.file, ok: true });
        plain++;
      }
    }
    expect(plain).toBeGreaterThan(0);
    expect(scramFirst).toBeGreaterThan(0);
  });
});

describe('prepareRequest on arbitrary bytes', () => {
  it('returns a verdict and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 128 }), fc.boolean(), (bytes, authenticated) => {
        const prepared = prepareRequest(Buffer.from(bytes), { registry, authenticated });
        expect(['dispatch', 'answer', 'violation']).toContain(prepared.kind);
      }),
      { numRuns: 2000 },
    );
  });
});
