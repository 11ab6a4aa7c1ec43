// KIP-554 over API keys, through the real handlers and store (in-memory KV). A SCRAM exchange
// with the credential an alter stored proves the StoredKey/ServerKey derivation end to end.
import { createHash, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { metadataV1 } from '@stratus/contracts';
import { cellId, unwrap } from '@stratus/metadata-model';
import { MemoryKvStore, MetadataStore } from '@stratus/metadata-store';
import { createMetadataService } from '../service';

type Unary = (call: { request: unknown }, cb: (err: { code: number; details?: string } | null, res?: unknown) => void) => void;

function invoke<Res>(service: metadataV1.MetadataServiceServer, method: keyof metadataV1.MetadataServiceServer, request: unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    (service[method] as unknown as Unary)({ request }, (err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

const SHA256 = metadataV1.ScramMechanism.SCRAM_SHA_256;
const SHA512 = metadataV1.ScramMechanism.SCRAM_SHA_512;

describe('DescribeScramCredentials / AlterScramCredentials', () => {
  const kv = new MemoryKvStore();
  const store = new MetadataStore({ kv, scramIterations: 4096 });
  const service = createMetadataService(store);
  let tenant: { value: string };
  let other: { value: string };
  let key: string;
  let othersKey: string;
  afterAll(() => kv.close());

  beforeAll(async () => {
    unwrap(await store.tenants.putCell({ id: cellId('c1'), azs: ['a', 'b', 'c'] }));
    tenant = { value: unwrap(await store.tenants.create({ name: 'acme', cell: cellId('c1') })).id };
    other = { value: unwrap(await store.tenants.create({ name: 'globex', cell: cellId('c1') })).id };
    key = unwrap(await store.apiKeys.create({ tenantId: tenant.value as never })).info.id;
    othersKey = unwrap(await store.apiKeys.create({ tenantId: other.value as never })).info.id;
  });

  const describe_ = (usernames: string[], t = tenant) => invoke<metadataV1.DescribeScramCredentialsResponse>(service, 'describeScramCredentials', { tenantId: t, usernames });
  const alter = (request: Partial<metadataV1.AlterScramCredentialsRequest>) =>
    invoke<metadataV1.AlterScramCredentialsResponse>(service, 'alterScramCredentials', { tenantId: tenant, deletions: [], upsertions: [], ...request });

  it('describes every key of the tenant with its mechanisms and iterations; other tenants keys are not found', async () => {
    const all = await describe_([]);
    expect(all.results).toEqual([
      {
        username: key,
        error: { code: 0, message: '' },
        credentials: [
          { mechanism: SHA256, iterations: 4096 },
          { mechanism: SHA512, iterations: 4096 },
        ],
      },
    ]);
    const named = await describe_([othersKey, 'nobody']);
    expect(named.results.map((r) => [r.username, r.error?.code])).toEqual([
      [othersKey, 91],
      ['nobody', 91],
    ]);
  });

  it('deletes a mechanism, refuses to delete it twice, and a key without credentials is RESOURCE_NOT_FOUND', async () => {
    expect((await alter({ deletions: [{ username: key, mechanism: SHA256 }] })).results).toEqual([{ username: key, error: { code: 0, message: '' } }]);
    expect((await alter({ deletions: [{ username: key, mechanism: SHA256 }] })).results[0]?.error?.code).toBe(91);
    expect((await describe_([key])).results[0]?.credentials).toEqual([{ mechanism: SHA512, iterations: 4096 }]);
    expect((await alter({ deletions: [{ username: key, mechanism: SHA512 }] })).results[0]?.error?.code).toBe(0);
    expect((await describe_([key])).results[0]?.error?.code).toBe(91);
    expect((await describe_([])).results).toEqual([]);
  });

  it('upserts from the client salted password; the stored keys verify a SCRAM proof for the password', async () => {
    const salt = randomBytes(16);
    const salted = pbkdf2Sync('new-password', salt, 8192, 32, 'sha256');
    const r = await alter({ upsertions: [{ username: key, mechanism: SHA256, iterations: 8192, salt, saltedPassword: salted }] });
    expect(r.results[0]?.error?.code).toBe(0);
    expect((await describe_([key])).results[0]?.credentials).toEqual([{ mechanism: SHA256, iterations: 8192 }]);
    const stored = unwrap(await store.apiKeys.scramCredential({ keyId: key, mechanism: 'SCRAM-SHA-256' })).credential;
    const clientKey = createHmac('sha256', pbkdf2Sync('new-password', stored.salt, stored.iterations, 32, 'sha256')).update('Client Key').digest();
    expect(createHash('sha256').update(clientKey).digest()).toEqual(stored.storedKey);
    expect(stored.serverKey).toEqual(createHmac('sha256', salted).update('Server Key').digest());
  });

  it('UNACCEPTABLE_CREDENTIAL for iterations outside 4096..16384 or a salted password of the wrong length; nothing of that user changes', async () => {
    const salt = randomBytes(16);
    for (const [iterations, length] of [
      [4095, 64],
      [16385, 64],
      [4096, 32],
    ] as const) {
      const r = await alter({
        deletions: [{ username: key, mechanism: SHA256 }],
        upsertions: [{ username: key, mechanism: SHA512, iterations, salt, saltedPassword: randomBytes(length) }],
      });
      expect(r.results[0]?.error?.code).toBe(93);
    }
    expect((await describe_([key])).results[0]?.credentials).toEqual([{ mechanism: SHA256, iterations: 8192 }]);
  });

  it('another tenant key cannot be altered (RESOURCE_NOT_FOUND), and its credentials stay', async () => {
    const r = await alter({ deletions: [{ username: othersKey, mechanism: SHA256 }] });
    expect(r.results[0]?.error?.code).toBe(91);
    expect((await describe_([othersKey], other)).results[0]?.credentials).toHaveLength(2);
  });
});
