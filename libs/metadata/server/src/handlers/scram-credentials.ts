// DescribeScramCredentials / AlterScramCredentials: Kafka's KIP-554 user SCRAM credential APIs
// over a tenant's API keys. Every result is per user, as in Kafka; one user's operations apply
// together or not at all.
import { metadataV1 } from '@stratus/contracts';
import type { ScramMechanism } from '@stratus/metadata-model';
import type { MetadataStore, ScramDeletion, ScramUpsertion } from '@stratus/metadata-store';
import { kafkaError, NONE } from '../convert';
import { BadRequest, requireTenant, unary } from '../rpc';

const TO_NAME = new Map<metadataV1.ScramMechanism, ScramMechanism>([
  [metadataV1.ScramMechanism.SCRAM_SHA_256, 'SCRAM-SHA-256'],
  [metadataV1.ScramMechanism.SCRAM_SHA_512, 'SCRAM-SHA-512'],
]);
const TO_PROTO = new Map<ScramMechanism, metadataV1.ScramMechanism>([...TO_NAME].map(([p, n]) => [n, p]));

function mechanismOf(m: metadataV1.ScramMechanism): ScramMechanism {
  const name = TO_NAME.get(m);
  if (!name) throw new BadRequest('mechanism must be SCRAM-SHA-256 or SCRAM-SHA-512');
  return name;
}

export function scramCredentialHandlers(store: MetadataStore) {
  return {
    describeScramCredentials: unary(async (req: metadataV1.DescribeScramCredentialsRequest): Promise<metadataV1.DescribeScramCredentialsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const described = await store.scramCredentials.describe(tenant, req.usernames);
      return {
        results: described.map((d) => ({
          username: d.username,
          error: d.error ? kafkaError(d.error) : NONE,
          credentials: d.credentials.map((c) => ({ mechanism: TO_PROTO.get(c.mechanism) ?? metadataV1.ScramMechanism.UNSPECIFIED, iterations: c.iterations })),
        })),
      };
    }),
    alterScramCredentials: unary(async (req: metadataV1.AlterScramCredentialsRequest): Promise<metadataV1.AlterScramCredentialsResponse> => {
      const tenant = requireTenant(req.tenantId);
      // Group by user in first-seen order (the order of results).
      const byUser = new Map<string, { deletions: ScramDeletion[]; upsertions: ScramUpsertion[] }>();
      const group = (u: string) => byUser.get(u) ?? byUser.set(u, { deletions: [], upsertions: [] }).get(u)!;
      for (const d of req.deletions) group(d.username).deletions.push({ username: d.username, mechanism: mechanismOf(d.mechanism) });
      for (const u of req.upsertions) {
        group(u.username).upsertions.push({
          username: u.username,
          mechanism: mechanismOf(u.mechanism),
          iterations: u.iterations,
          salt: Buffer.from(u.salt),
          saltedPassword: Buffer.from(u.saltedPassword),
        });
      }
      const results: metadataV1.AlterScramCredentialResult[] = [];
      for (const [username, changes] of byUser) {
        const r = await store.scramCredentials.alter(tenant, username, changes);
        results.push({ username, error: r.ok ? NONE : kafkaError(r.error) });
      }
      return { results };
    }),
  };
}
