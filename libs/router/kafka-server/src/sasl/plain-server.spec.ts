import { InMemoryCredentialSource } from '../credentials/in-memory-credential-source';
import { tenantId } from '../types';
import { PlainServer, parsePlainMessage } from './plain-server';

const source = new InMemoryCredentialSource([{ username: 'alice', password: 's3cret', tenantId: tenantId('t-1') }]);

describe('PLAIN', () => {
  it('parses authzid, user and password', () => {
    expect(parsePlainMessage(Buffer.from('\0alice\0s3cret'))).toEqual({ authzid: '', username: 'alice', password: 's3cret' });
    expect(parsePlainMessage(Buffer.from('alice\0alice\0pw'))).toEqual({ authzid: 'alice', username: 'alice', password: 'pw' });
  });

  it.each([
    ['no separators', 'alice'],
    ['two fields', 'alice\0pw'],
    ['four fields', '\0a\0b\0c'],
    ['empty user', '\0\0pw'],
    ['empty password', '\0alice\0'],
    ['authzid of someone else', 'bob\0alice\0pw'],
    ['field over 255 bytes', `\0${'a'.repeat(256)}\0pw`],
  ])('refuses a message with %s', (_, text) => {
    expect(typeof parsePlainMessage(Buffer.from(text))).toBe('string');
  });

  it('authenticates the right password once and refuses a wrong one', async () => {
    const ok = new PlainServer(source);
    expect(await ok.step(Buffer.from('\0alice\0s3cret'))).toEqual({ kind: 'success', bytes: Buffer.alloc(0), principal: { username: 'alice', tenantId: 't-1' } });
    expect((await ok.step(Buffer.from('\0alice\0s3cret'))).kind).toBe('failure');
    const bad = await new PlainServer(source).step(Buffer.from('\0alice\0wrong'));
    expect(bad).toMatchObject({ kind: 'failure', message: 'Authentication failed: invalid credentials for SASL mechanism PLAIN' });
    const unknown = await new PlainServer(source).step(Buffer.from('\0mallory\0s3cret'));
    expect(unknown).toMatchObject({ kind: 'failure', message: 'Authentication failed: invalid credentials for SASL mechanism PLAIN' });
  });
});
