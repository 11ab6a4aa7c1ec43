// Runs @platformatic/kafka's Admin (ESM only, so outside Jest's CommonJS runtime) against a router:
//   node platformatic-admin.mjs <port> <username> <password> '<json list of [method, options]>'
// Prints one JSON line: a list of {"ok":true,"value":...} or {"ok":false,"codes":[...]} per call.
import { Admin } from '@platformatic/kafka';

const [port, username, password, opsJson] = process.argv.slice(2);
const admin = new Admin({
  clientId: 'platformatic-admin-it',
  bootstrapBrokers: [`127.0.0.1:${port}`],
  sasl: { mechanism: 'PLAIN', username, password },
  retries: 0,
});

// Error codes along the cause chain (AggregateError lists, causes, per-item response errors).
function codesOf(error) {
  const codes = [];
  const seen = new Set();
  const walk = (e) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    for (const key of ['apiCode', 'errorCode']) if (typeof e[key] === 'number' && e[key] !== 0) codes.push(e[key]);
    for (const inner of e.errors ?? []) walk(inner);
    walk(e.cause);
    if (e.response && typeof e.response === 'object') walk(e.response);
    for (const v of Object.values(e.response ?? {})) if (Array.isArray(v)) v.forEach(walk);
  };
  walk(error);
  return codes;
}

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
