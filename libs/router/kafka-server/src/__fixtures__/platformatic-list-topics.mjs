// Runs @platformatic/kafka (ESM only, so outside Jest's CommonJS runtime) against a listener:
//   node platformatic-list-topics.mjs <port> <mechanism> <username> <password>
// Prints one JSON line: {"ok":true,"topics":[...]} or {"ok":false,"error":"<error codes along the cause chain>"}.
import { Admin } from '@platformatic/kafka';

const [port, mechanism, username, password] = process.argv.slice(2);
const admin = new Admin({
  clientId: 'platformatic-it',
  bootstrapBrokers: [`127.0.0.1:${port}`],
  sasl: { mechanism, username, password },
  retries: 0,
});
try {
  const topics = await admin.listTopics();
  process.stdout.write(JSON.stringify({ ok: true, topics }) + '\n');
} catch (error) {
  // Walk the error chain (AggregateError lists and causes) and report every error code met on the way.
  const codes = [];
  const seen = new Set();
  const walk = (e) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    for (const key of ['code', 'apiCode']) if (e[key] !== undefined) codes.push(e[key]);
    for (const inner of e.errors ?? []) walk(inner);
    walk(e.cause);
    if (e.response && typeof e.response === 'object') walk({ code: e.response.errorCode });
  };
  walk(error);
  const detail = codes.join(',');
  process.stdout.write(JSON.stringify({ ok: false, error: detail || String(error) }) + '\n');
} finally {
  await admin.close().catch(() => undefined);
}
