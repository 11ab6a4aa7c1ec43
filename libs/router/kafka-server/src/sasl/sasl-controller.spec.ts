import { CredentialSourceUnavailableError } from '../credentials/credential-source-unavailable';
import type { CredentialSource } from '../credentials/credential-source';
import { InMemoryCredentialSource } from '../credentials/in-memory-credential-source';
import { tenantId } from '../types';
import { SaslController } from './sasl-controller';

const credentials = new InMemoryCredentialSource([
  { username: 'alice', password: 'pw', tenantId: tenantId('t-1') },
  { username: 'bob', password: 'pw', tenantId: tenantId('t-2') },
]);
const plain = (user: string, password = 'pw') => Buffer.from(`\0${user}\0${password}`);

function controller(options: { maxSessionLifetimeMs?: number; now?: () => number } = {}) {
  return new SaslController({
    mechanisms: ['PLAIN', 'SCRAM-SHA-256'],
    credentials,
    maxSessionLifetimeMs: options.maxSessionLifetimeMs ?? 0,
    ...(options.now ? { now: options.now } : {}),
  });
}

describe('SaslController', () => {
  it('authenticates after a v1 handshake, with no session limit by default', async () => {
    const c = controller();
    expect(c.handshake('PLAIN', 1)).toEqual({ kind: 'ok', mechanisms: ['PLAIN', 'SCRAM-SHA-256'] });
    expect(c.expectsRawToken).toBe(false);
    const outcome = await c.authenticate(plain('alice'));
    expect(outcome).toMatchObject({ kind: 'success', sessionLifetimeMs: 0, reauthenticated: false });
    expect(c.principal).toEqual({ username: 'alice', tenantId: 't-1' });
    expect(c.sessionExpiresAtMs).toBeUndefined();
  });

  it('refuses a mechanism that is not enabled with the enabled list, and closes', () => {
    expect(controller().handshake('SCRAM-SHA-512', 1)).toMatchObject({ kind: 'error', errorCode: 33, mechanisms: ['PLAIN', 'SCRAM-SHA-256'], close: true });
  });

  it('treats out-of-order SASL requests as violations', async () => {
    const c = controller();
    expect(await c.authenticate(plain('alice'))).toMatchObject({ kind: 'violation' });
    c.handshake('PLAIN', 1);
    expect(c.handshake('PLAIN', 1)).toMatchObject({ kind: 'violation' });
  });

  it('switches to raw tokens after a v0 handshake', async () => {
    const c = controller();
    c.handshake('PLAIN', 0);
    expect(c.expectsRawToken).toBe(true);
    await c.authenticate(plain('alice'));
    expect(c.expectsRawToken).toBe(false);
    expect(c.authenticated).toBe(true);
  });

  it('answers a wrong password with SASL_AUTHENTICATION_FAILED and close', async () => {
    const c = controller();
    c.handshake('PLAIN', 1);
    expect(await c.authenticate(plain('alice', 'nope'))).toMatchObject({ kind: 'failure', errorCode: 58, close: true });
    expect(c.authenticated).toBe(false);
  });

  it('without re-authentication enabled answers ILLEGAL_SASL_STATE on an authenticated connection', async () => {
    const c = controller();
    c.handshake('PLAIN', 1);
    await c.authenticate(plain('alice'));
    expect(c.handshake('PLAIN', 1)).toMatchObject({ kind: 'error', errorCode: 34, close: false });
    expect(await c.authenticate(plain('alice'))).toMatchObject({ kind: 'failure', errorCode: 34, close: false });
  });

  it('bounds the session and renews it on re-authentication with the same principal (KIP-368)', async () => {
    let now = 1_000;
    const c = controller({ maxSessionLifetimeMs: 500, now: () => now });
    c.handshake('PLAIN', 1);
    expect(await c.authenticate(plain('alice'))).toMatchObject({ kind: 'success', sessionLifetimeMs: 500 });
    expect(c.sessionExpiresAtMs).toBe(1_500);
    now = 1_400;
    expect(c.handshake('SCRAM-SHA-256', 1)).toMatchObject({ kind: 'error', errorCode: 33 });
    expect(c.handshake('PLAIN', 1)).toMatchObject({ kind: 'ok' });
    expect(await c.authenticate(plain('alice'))).toMatchObject({ kind: 'success', reauthenticated: true });
    expect(c.sessionExpiresAtMs).toBe(1_900);
    c.handshake('PLAIN', 1);
    expect(await c.authenticate(plain('bob'))).toMatchObject({ kind: 'failure', errorCode: 58, close: true });
  });

  it('cuts the session short at the credential expiry', async () => {
    const users = new InMemoryCredentialSource([{ username: 'eve', password: 'pw', tenantId: tenantId('t'), credentialExpiresAtMs: 1_200 }]);
    const c = new SaslController({ mechanisms: ['PLAIN'], credentials: users, maxSessionLifetimeMs: 10_000, now: () => 1_000 });
    c.handshake('PLAIN', 1);
    expect(await c.authenticate(plain('eve'))).toMatchObject({ kind: 'success', sessionLifetimeMs: 200 });
  });

  it('closes without an answer when credentials cannot be checked, and rethrows anything else as a bug', async () => {
    const failing = (error: Error): CredentialSource => ({
      scramCredential: () => Promise.reject(error),
      verifyPlain: () => Promise.reject(error),
    });
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-256'] as const) {
      const c = new SaslController({ mechanisms: [mechanism], credentials: failing(new CredentialSourceUnavailableError('GetScramCredential failed: UNAVAILABLE')), maxSessionLifetimeMs: 0 });
      c.handshake(mechanism, 1);
      const token = mechanism === 'PLAIN' ? plain('alice') : Buffer.from('n,,n=alice,r=abcdefgh');
      expect(await c.authenticate(token)).toEqual({ kind: 'violation', reason: expect.stringContaining('credentials unavailable') });
      expect(c.authenticated).toBe(false);
    }
    const buggy = new SaslController({ mechanisms: ['PLAIN'], credentials: failing(new TypeError('bug')), maxSessionLifetimeMs: 0 });
    buggy.handshake('PLAIN', 1);
    await expect(buggy.authenticate(plain('alice'))).rejects.toThrow(TypeError);
  });
});
