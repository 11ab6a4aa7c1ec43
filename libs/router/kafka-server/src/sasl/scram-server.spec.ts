import { createHmac, createHash, pbkdf2Sync, randomBytes } from 'node:crypto';
import type { CredentialSource } from '../credentials/credential-source';
import { InMemoryCredentialSource } from '../credentials/in-memory-credential-source';
import { deriveScramCredentialSync } from '@stratus/kafka-scram';
import { tenantId, type ScramMechanism } from '../types';
import { ScramServer } from './scram-server';

/** A SCRAM client written from RFC 5802 §3, independent of the server code. */
function scramClient(options: { mechanism: ScramMechanism; username: string; password: string; nonce?: string; gs2?: string }) {
  const hash = options.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512';
  const gs2 = options.gs2 ?? 'n,,';
  const clientNonce = options.nonce ?? randomBytes(18).toString('base64');
  const bare = `n=${options.username.replace(/=/g, '=3D').replace(/,/g, '=2C')},r=${clientNonce}`;
  return {
    first: Buffer.from(gs2 + bare),
    final(serverFirst: Buffer, overrides: { nonce?: string; cb?: string } = {}) {
      const text = serverFirst.toString();
      const fields = Object.fromEntries(text.split(',').map((kv) => [kv[0], kv.slice(2)]));
      const salted = pbkdf2Sync(options.password, Buffer.from(fields.s as string, 'base64'), Number(fields.i), hash === 'sha256' ? 32 : 64, hash);
      const clientKey = createHmac(hash, salted).update('Client Key').digest();
      const storedKey = createHash(hash).update(clientKey).digest();
      const withoutProof = `c=${overrides.cb ?? Buffer.from(gs2).toString('base64')},r=${overrides.nonce ?? fields.r}`;
      const authMessage = `${bare},${text},${withoutProof}`;
      const signature = createHmac(hash, storedKey).update(authMessage).digest();
      const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)));
      const serverKey = createHmac(hash, salted).update('Server Key').digest();
      const expectedServerFinal = `v=${createHmac(hash, serverKey).update(authMessage).digest('base64')}`;
      return { bytes: Buffer.from(`${withoutProof},p=${proof.toString('base64')}`), expectedServerFinal };
    },
  };
}

const source = new InMemoryCredentialSource([{ username: 'al,ice=', password: 'pencil', tenantId: tenantId('t-1') }]);

describe('ScramServer', () => {
  it('matches the RFC 7677 SCRAM-SHA-256 example exchange', async () => {
    const salt = Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64');
    const credential = deriveScramCredentialSync({ mechanism: 'SCRAM-SHA-256', password: 'pencil', salt, iterations: 4096 });
    const rfcSource: CredentialSource = {
      scramCredential: async () => ({ credential, principal: { username: 'user', tenantId: tenantId('t') } }),
      verifyPlain: async () => undefined,
    };
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', credentials: rfcSource, serverNonce: () => '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });
    const first = await server.step(Buffer.from('n,,n=user,r=rOprNGfwEbeRWgbNEkqO'));
    expect(first).toEqual({ kind: 'challenge', bytes: Buffer.from('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096') });
    const final = await server.step(
      Buffer.from('c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ='),
    );
    expect(final).toEqual({ kind: 'success', bytes: Buffer.from('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='), principal: { username: 'user', tenantId: 't' } });
  });

  it.each(['SCRAM-SHA-256', 'SCRAM-SHA-512'] as const)('authenticates a %s client and proves itself', async (mechanism) => {
    const client = scramClient({ mechanism, username: 'al,ice=', password: 'pencil' });
    const server = new ScramServer({ mechanism, credentials: source });
    const serverFirst = await server.step(client.first);
    expect(serverFirst.kind).toBe('challenge');
    const final = client.final((serverFirst as { bytes: Buffer }).bytes);
    const done = await server.step(final.bytes);
    expect(done).toEqual({ kind: 'success', bytes: Buffer.from(final.expectedServerFinal), principal: { username: 'al,ice=', tenantId: 't-1' } });
  });

  it('refuses a wrong password at the final step', async () => {
    const client = scramClient({ mechanism: 'SCRAM-SHA-512', username: 'al,ice=', password: 'wrong' });
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-512', credentials: source });
    const serverFirst = (await server.step(client.first)) as { bytes: Buffer };
    const done = await server.step(client.final(serverFirst.bytes).bytes);
    expect(done).toMatchObject({ kind: 'failure', message: 'Authentication failed: invalid credentials for SASL mechanism SCRAM-SHA-512' });
  });

  it('walks an unknown user through the whole exchange and fails with the same message', async () => {
    const client = scramClient({ mechanism: 'SCRAM-SHA-256', username: 'nobody', password: 'x' });
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', credentials: source });
    const serverFirst = await server.step(client.first);
    expect(serverFirst.kind).toBe('challenge');
    const done = await server.step(client.final((serverFirst as { bytes: Buffer }).bytes).bytes);
    expect(done).toMatchObject({ kind: 'failure', message: 'Authentication failed: invalid credentials for SASL mechanism SCRAM-SHA-256' });
  });

  it('refuses a tampered nonce or channel binding', async () => {
    for (const overrides of [{ nonce: 'other' }, { cb: Buffer.from('y,,').toString('base64') }]) {
      const client = scramClient({ mechanism: 'SCRAM-SHA-256', username: 'al,ice=', password: 'pencil' });
      const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', credentials: source });
      const serverFirst = (await server.step(client.first)) as { bytes: Buffer };
      expect((await server.step(client.final(serverFirst.bytes, overrides).bytes)).kind).toBe('failure');
    }
  });

  it.each([
    ['channel binding requested', 'p=tls-server-end-point,,n=a,r=abc'],
    ['no GS2 header', 'n=a,r=abc'],
    ['mandatory extension', 'n,,m=ext,n=a,r=abc'],
    ['bad saslname escape', 'n,,n=a=ZZ,r=abc'],
    ['no nonce', 'n,,n=a'],
    ['authzid of another user', 'n,a=bob,n=a,r=abc'],
    ['delegation token', 'n,,n=a,r=abc,tokenauth=true'],
    ['garbage', '\u0000\u00ff\u0013'],
  ])('refuses a client-first message with %s', async (_, message) => {
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', credentials: source });
    expect((await server.step(Buffer.from(message, 'latin1'))).kind).toBe('failure');
  });

  it('accepts the "y,," GS2 flag and fails any step after the end', async () => {
    const client = scramClient({ mechanism: 'SCRAM-SHA-256', username: 'al,ice=', password: 'pencil', gs2: 'y,,' });
    const server = new ScramServer({ mechanism: 'SCRAM-SHA-256', credentials: source });
    const serverFirst = (await server.step(client.first)) as { bytes: Buffer };
    expect((await server.step(client.final(serverFirst.bytes).bytes)).kind).toBe('success');
    expect((await server.step(Buffer.from('again'))).kind).toBe('failure');
  });
});
