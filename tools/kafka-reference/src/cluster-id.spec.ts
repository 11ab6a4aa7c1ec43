import { randomClusterId } from './cluster-id';

describe('randomClusterId', () => {
  it('is 16 bytes in base64url (22 characters)', () => {
    const id = randomClusterId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(Buffer.from(id, 'base64url')).toHaveLength(16);
  });

  it('draws again when the id would start with "-", which the storage tool would read as an option', () => {
    // 0xf8 encodes to '-' as the first base64url character.
    const draws = [Buffer.alloc(16, 0xf8), Buffer.alloc(16, 0x01)];
    const id = randomClusterId(() => draws.shift() as Buffer);
    expect(draws).toHaveLength(0);
    expect(id.startsWith('-')).toBe(false);
    expect(id).toBe(Buffer.alloc(16, 0x01).toString('base64url'));
  });
});
