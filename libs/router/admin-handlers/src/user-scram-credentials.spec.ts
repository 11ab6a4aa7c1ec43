import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { AlterUserScramCredentialsResponse, DescribeUserScramCredentialsResponse } from '@stratus/kafka-messages';
import { FakeMetadata, contextFor, handlerFor, respond } from './testing.testkit';

const ok = { code: 0, message: '' };

describe('DescribeUserScramCredentials', () => {
  const md = () =>
    new FakeMetadata().answer('describeScramCredentials', (req: metadataV1.DescribeScramCredentialsRequest) => ({
      results: (req.usernames.length === 0 ? ['k1'] : req.usernames).map((u) =>
        u === 'k1' ? { username: u, error: ok, credentials: [{ mechanism: 2, iterations: 8192 }] } : { username: u, error: { code: ErrorCode.RESOURCE_NOT_FOUND, message: 'nope' }, credentials: [] },
      ),
    }));

  it('lists all the tenant users for a null list, each named user otherwise (unknown: RESOURCE_NOT_FOUND, repeated: DUPLICATE_RESOURCE)', async () => {
    const m = md();
    const all = await respond<DescribeUserScramCredentialsResponse>(handlerFor(50, { metadata: m.client }), { users: null }, contextFor('t-9'));
    expect(all.results).toEqual([{ user: 'k1', errorCode: 0, errorMessage: null, credentialInfos: [{ mechanism: 2, iterations: 8192 }] }]);
    expect((m.calls[0]?.request as metadataV1.DescribeScramCredentialsRequest).tenantId?.value).toBe('t-9');
    const named = await respond<DescribeUserScramCredentialsResponse>(handlerFor(50, { metadata: m.client }), { users: [{ name: 'x' }, { name: 'k1' }, { name: 'x' }] });
    expect(named.results.map((r) => [r.user, r.errorCode])).toEqual([
      ['x', ErrorCode.DUPLICATE_RESOURCE],
      ['k1', 0],
    ]);
    expect((m.calls[1]?.request as metadataV1.DescribeScramCredentialsRequest).usernames).toEqual(['k1']);
  });
});

describe('AlterUserScramCredentials', () => {
  const salt = Buffer.alloc(16, 1);
  const salted = Buffer.alloc(32, 2);

  it('sends salted credentials to metadata and answers one result per user in request order', async () => {
    const m = new FakeMetadata().answer('alterScramCredentials', (req: metadataV1.AlterScramCredentialsRequest) => ({
      results: [...new Set([...req.deletions.map((d) => d.username), ...req.upsertions.map((u) => u.username)])].map((u) => ({
        username: u,
        error: u === 'ghost' ? { code: ErrorCode.RESOURCE_NOT_FOUND, message: 'no such user' } : ok,
      })),
    }));
    const res = await respond<AlterUserScramCredentialsResponse>(handlerFor(51, { metadata: m.client }), {
      deletions: [{ name: 'ghost', mechanism: 1 }],
      upsertions: [{ name: 'k1', mechanism: 1, iterations: 4096, salt, saltedPassword: salted }],
    });
    expect(res.results).toEqual([
      { user: 'ghost', errorCode: ErrorCode.RESOURCE_NOT_FOUND, errorMessage: 'no such user' },
      { user: 'k1', errorCode: 0, errorMessage: null },
    ]);
    const sent = m.calls[0]?.request as metadataV1.AlterScramCredentialsRequest;
    expect(sent.upsertions).toEqual([{ username: 'k1', mechanism: 1, iterations: 4096, salt, saltedPassword: salted }]);
  });

  it('DUPLICATE_RESOURCE for a user+mechanism twice, UNSUPPORTED_SASL_MECHANISM for an unknown one; those users never reach metadata', async () => {
    const m = new FakeMetadata().answer('alterScramCredentials', (req: metadataV1.AlterScramCredentialsRequest) => ({
      results: req.upsertions.map((u) => ({ username: u.username, error: ok })),
    }));
    const res = await respond<AlterUserScramCredentialsResponse>(handlerFor(51, { metadata: m.client }), {
      deletions: [{ name: 'dup', mechanism: 2 }],
      upsertions: [
        { name: 'dup', mechanism: 2, iterations: 4096, salt, saltedPassword: salted },
        { name: 'odd', mechanism: 7, iterations: 4096, salt, saltedPassword: salted },
        { name: 'fine', mechanism: 1, iterations: 4096, salt, saltedPassword: salted },
      ],
    });
    expect(res.results.map((r) => [r.user, r.errorCode])).toEqual([
      ['dup', ErrorCode.DUPLICATE_RESOURCE],
      ['odd', ErrorCode.UNSUPPORTED_SASL_MECHANISM],
      ['fine', 0],
    ]);
    expect((m.calls[0]?.request as metadataV1.AlterScramCredentialsRequest).upsertions.map((u) => u.username)).toEqual(['fine']);
  });
});
