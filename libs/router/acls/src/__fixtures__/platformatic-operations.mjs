// Runs @platformatic/kafka's Admin (ESM only, so outside Jest's CommonJS runtime) against a router
// and prints what it decoded of the KIP-430 fields:
//   node platformatic-operations.mjs <port> <username> <password> '<json list of group ids>'
// Prints one JSON line: {"ok":true,"groups":[[id, authorizedOperations], ...]} or
// {"ok":false,"message":...,"codes":[...]}.
import { Admin } from '@platformatic/kafka';
// Shared with the other client scripts (error codes along the cause chain).
import { codesOf } from '../../../../platform/testing/src/__fixtures__/kafka-error-codes.mjs';

const [port, username, password, groupsJson] = process.argv.slice(2);
const admin = new Admin({
  clientId: 'platformatic-operations-it',
  bootstrapBrokers: [`127.0.0.1:${port}`],
  sasl: { mechanism: 'PLAIN', username, password },
  retries: 0,
});

let out;
try {
  const groups = await admin.describeGroups({ groups: JSON.parse(groupsJson), includeAuthorizedOperations: true });
  out = { ok: true, groups: [...groups.values()].map((g) => [g.id, g.authorizedOperations]) };
} catch (error) {
  out = { ok: false, message: String(error?.message ?? error), codes: codesOf(error) };
} finally {
  await admin.close().catch(() => undefined);
}
process.stdout.write(JSON.stringify(out) + '\n');
