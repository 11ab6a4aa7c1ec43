// Runs full SCRAM exchanges against stored credentials. The client side below is written from
// RFC 5802 §3 independently of the server code, using only node:crypto.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { deriveScramCredential, MIN_SCRAM_ITERATIONS, SCRAM_MECHANISMS, type ScramCredential, type ScramMechanism } from './scram';
import { ScramServerSession } from './scram-server';

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

async function exchange(credential: ScramCredential | undefined, client: RfcScramClient, user: string) {
  const server = new ScramServerSession({ lookup: async (u) => (u === user ? credential : undefined) });
  const serverFirst = await server.step(client.first());
  if (serverFirst.kind !== 'challenge') return serverFirst;
  return server.step(client.final(serverFirst.message));
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

  it('rejects iteration counts below the Kafka minimum', async () => {
    await expect(deriveScramCredential({ mechanism, password: 'x', iterations: 1000 })).rejects.toThrow(RangeError);
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
    const server = new ScramServerSession({ lookup: async () => cred, nonce: '%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0' });
    const first = await server.step('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(first).toEqual({
      kind: 'challenge',
      message: 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096',
    });
    const final = await server.step(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
    expect(final).toEqual({ kind: 'success', username: 'user', message: 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=' });
  });
});
