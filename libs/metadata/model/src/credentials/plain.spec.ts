import { generateApiKeyId, generateApiSecret, hashPlainSecret, verifyPlainSecret } from './plain';

describe('PLAIN secret hashing', () => {
  it('verifies the right secret, rejects a wrong one, and never contains the secret', async () => {
    const secret = generateApiSecret();
    const stored = await hashPlainSecret(secret);
    expect(await verifyPlainSecret(stored, secret)).toBe(true);
    expect(await verifyPlainSecret(stored, secret + 'x')).toBe(false);
    expect(await verifyPlainSecret(stored, '')).toBe(false);
    const serialised = JSON.stringify({ ...stored, salt: stored.salt.toString('base64'), hash: stored.hash.toString('base64') });
    expect(serialised).not.toContain(secret);
  });

  it('salts: the same secret hashes differently twice', async () => {
    const a = await hashPlainSecret('same');
    const b = await hashPlainSecret('same');
    expect(a.hash.equals(b.hash)).toBe(false);
  });

  it('generates distinct key ids and secrets', () => {
    expect(generateApiKeyId()).toMatch(/^[A-Z2-7]{16}$/);
    expect(generateApiSecret()).not.toBe(generateApiSecret());
  });
});
