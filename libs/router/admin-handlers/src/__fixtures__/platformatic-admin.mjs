// Runs @platformatic/kafka's Admin (ESM only, so outside Jest's CommonJS runtime) against a router:
//   node platformatic-admin.mjs <port> <username> <password> '<json list of [method, options]>'
// Prints one JSON line: a list of {"ok":true,"value":...} or {"ok":false,"codes":[...]} per call.
import { Admin } from '@platformatic/kafka';
// Shared with the other client scripts (error codes along the cause chain).
import { codesOf } from '../../../../platform/testing/src/__fixtures__/kafka-error-codes.mjs';

const [port, username, password, opsJson] = process.argv.slice(2);
const admin = new Admin({
  clientId: 'platformatic-admin-it',
  bootstrapBrokers: [`127.0.0.1:${port}`],
  sasl: { mechanism: 'PLAIN', username, password },
  retries: 0,
});

const out = [];
try {
  for (const [method, options] of JSON.parse(opsJson)) {
    try {
      out.push({ ok: true, value: (await admin[method](options)) ?? null });
    } catch (error) {
      out.push({ ok: false, codes: codesOf(error), message: String(error?.message ?? error) });
    }
  }
} finally {
  await admin.close().catch(() => undefined);
}
process.stdout.write(JSON.stringify(out, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) + '\n');
