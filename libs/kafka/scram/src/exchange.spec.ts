// Runs full SCRAM exchanges against stored credentials. The client side below is written from
// RFC 5802 §3 independently of the server code, using only node:crypto.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { deriveScramCredential, deriveScramCredentialSync, MIN_SCRAM_ITERATIONS, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from './crypto';
import { checkClientFinal, serverFirstMessage } from './exchange';
import { parseClientFinal, parseClientFirst } from './messages';

const algo = (m: ScramMechanism) => (m === 'SCRAM-SHA-256' ? { name: 'sha256', len: 32 } : { name: 'sha512', len: 64 });

class RfcScramClient {
  private clientFirstBare = '';
  private authMessage = '';
  private saltedPassword = Buffer.alloc(0);
  constructor(
    private readonly mechanism: ScramMechanism,
    private readonly user: string,
    private readonly password: string,
    private readonly nonce = randomBytes(18).toString('base64'),
  ) {}

  first(): string {
    const saslName = this.user.replace(/=/g, '=3D').replace(/,/g, '=2C');
    this.clientFirstBare = `n=${saslName},r=${this.nonce}`;
    return `n,,${this.clientFirstBare}`;
  }

  final(serverFirst: string): string {
    const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
    if (!String(attrs['r']).startsWith(this.nonce)) throw new Error('server nonce does not extend ours');
    const { name, len } = algo(this.mechanism);
    this.saltedPassword = pbkdf2Sync(this.password, Buffer.from(String(attrs['s']), 'base64'), Number(attrs['i']), len, name);
    const clientKey = createHmac(name, this.saltedPassword).update('Client Key').digest();
    const storedKey = createHash(name).update(clientKey).digest();
    const withoutProof = `c=biws,r=${attrs['r']}`;
    this.authMessage = `${this.clientFirstBare},${serverFirst},${withoutProof}`;
    const signature = createHmac(name, storedKey).update(this.authMessage).digest();
    const proof = Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number)));
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  verifyServerFinal(serverFinal: string): boolean {
    const { name } = algo(this.mechanism);
    const serverKey = createHmac(name, this.saltedPassword).update('Server Key').digest();
    const expected = createHmac(name, serverKey).update(this.authMessage).digest('base64');
    return serverFinal === `v=${expected}`;
  }
}

type Outcome = { kind: 'success'; username: string; message: string } | { kind: 'failure'; reason: string };

/** The server side as the router runs it: parse, look up, challenge, check the proof. */
function serverExchange(lookup: (user: string) => ScramCredential | undefined, serverNonce: string) {
  return (clientFirstText: string, clientFinal: (serverFirst: string) => string): Outcome => {
    const first = parseClientFirst(clientFirstText);
    if (typeof first === 'string') return { kind: 'failure', reason: first };
    const credential = lookup(first.username);
    if (!credential) return { kind: 'failure', reason: 'unknown user' };
    const serverFirst = serverFirstMessage(first, credential, serverNonce);
    const final = parseClientFinal(clientFinal(serverFirst.message));
    if (typeof final === 'string') return { kind: 'failure', reason: final };
    const check = checkClientFinal({ credential, first, serverFirst, final });
    return check.ok ? { kind: 'success', username: first.username, message: check.serverFinal } : { kind: 'failure', reason: check.reason };
  };
}

async function exchange(credential: ScramCredential | undefined, client: RfcScramClient, user: string): Promise<Outcome> {
  const run = serverExchange((u) => (u === user ? credential : undefined), randomBytes(18).toString('base64'));
  return run(client.first(), (serverFirst) => client.final(serverFirst));
}

describe.each(SCRAM_MECHANISMS)('%s', (mechanism) => {
  it('stores no secret material and derives the RFC keys', async () => {
    const cred = await deriveScramCredential({ mechanism, password: 's3cret' });
    expect(cred.iterations).toBeGreaterThanOrEqual(MIN_SCRAM_ITERATIONS);
    expect(cred.storedKey.length).toBe(algo(mechanism).len);
    expect(JSON.stringify(cred)).not.toContain('s3cret');
  });

  it('completes a full exchange with the right password and the client verifies the server', async () => {
    const cred = await deriveScramCredential({ mechanism, password: 'pa,ss=word' });
    const client = new RfcScramClient(mechanism, 'KEY,ID=1', 'pa,ss=word');
    const result = await exchange(cred, client, 'KEY,ID=1');
    expect(result.kind).toBe('success');
    if (result.kind === 'success') {
      expect(result.username).toBe('KEY,ID=1');
      expect(client.verifyServerFinal(result.message)).toBe(true);
    }
  });

  it('fails with a wrong password and for an unknown user', async () => {
    const cred = await deriveScramCredential({ mechanism, password: 'right' });
    expect((await exchange(cred, new RfcScramClient(mechanism, 'u', 'wrong'), 'u')).kind).toBe('failure');
    expect((await exchange(cred, new RfcScramClient(mechanism, 'other', 'right'), 'u')).kind).toBe('failure');
  });

  it('rejects iteration counts outside the Kafka range', async () => {
    await expect(deriveScramCredential({ mechanism, password: 'x', iterations: 1000 })).rejects.toThrow(RangeError);
    expect(() => deriveScramCredentialSync({ mechanism, password: 'x', iterations: 20000 })).toThrow(RangeError);
  });

  it('derives the same credential blocking and off the event loop', async () => {
    const salt = randomBytes(16);
    expect(deriveScramCredentialSync({ mechanism, password: 'p', salt })).toEqual(await deriveScramCredential({ mechanism, password: 'p', salt }));
  });
});

describe('RFC 7677 test vector (SCRAM-SHA-256)', () => {
  it('reproduces the published proof and server signature', async () => {
    const cred = await deriveScramCredential({
      mechanism: 'SCRAM-SHA-256',
      password: 'pencil',
      salt: Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'),
      iterations: 4096,
    });
    let challenge = '';
    const final = serverExchange(() => cred, '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0')('n,,n=user,r=rOprNGfwEbeRWgbNEkqO', (serverFirst) => {
      challenge = serverFirst;
      return 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
    });
    expect(challenge).toBe('r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096');
    expect(final).toEqual({ kind: 'success', username: 'user', message: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=' });
  });
});

describe('client-final nonce forms', () => {
  const mechanism: ScramMechanism = 'SCRAM-SHA-256';
  const credential = deriveScramCredentialSync({ mechanism, password: 'secret' });

  /** A client that echoes `echo(clientNonce, combinedNonce)` as its nonce, computing the proof over what it sends. */
  function finalWith(clientFirstBare: string, serverFirst: string, echoed: string, password: string): string {
    const { name, len } = algo(mechanism);
    const attrs = Object.fromEntries(serverFirst.split(',').map((p) => [p[0], p.slice(2)]));
    const salted = pbkdf2Sync(password, Buffer.from(String(attrs['s']), 'base64'), Number(attrs['i']), len, name);
    const clientKey = createHmac(name, salted).update('Client Key').digest();
    const storedKey = createHash(name).update(clientKey).digest();
    const withoutProof = `c=biws,r=${echoed}`;
    const signature = createHmac(name, storedKey).update(`${clientFirstBare},${serverFirst},${withoutProof}`).digest();
    return `${withoutProof},p=${Buffer.from(clientKey.map((b, i) => b ^ (signature[i] as number))).toString('base64')}`;
  }

  function check(echo: (clientNonce: string, combined: string) => string) {
    const bare = 'n=user,r=clientNONCE';
    const first = parseClientFirst(`n,,${bare}`);
    if (typeof first === 'string') throw new Error(first);
    const serverFirst = serverFirstMessage(first, credential, 'serverNONCE');
    const final = parseClientFinal(finalWith(bare, serverFirst.message, echo(first.nonce, serverFirst.nonce), 'secret'));
    if (typeof final === 'string') throw new Error(final);
    return checkClientFinal({ credential, first, serverFirst, final });
  }

  it('accepts the combined nonce (RFC 5802) and librdkafka\'s client nonce + combined nonce', () => {
    expect(check((_, combined) => combined).ok).toBe(true);
    expect(check((client, combined) => client + combined).ok).toBe(true);
  });

  it('refuses any other nonce, even one that ends with the combined nonce', () => {
    expect(check((_, combined) => `x${combined}`)).toEqual({ ok: false, reason: 'nonce does not match' });
    expect(check((client) => client)).toEqual({ ok: false, reason: 'nonce does not match' });
    expect(check((_, combined) => combined.slice(0, -1))).toEqual({ ok: false, reason: 'nonce does not match' });
  });
});
