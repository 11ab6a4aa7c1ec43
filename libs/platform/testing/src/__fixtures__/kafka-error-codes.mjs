// Shared by the .mjs client scripts that integration specs run as child processes (real Kafka
// clients that are ESM only, so outside Jest's CommonJS runtime), imported by relative path.
// @platformatic/kafka reports a failed call as an error whose Kafka error codes sit at different
// depths: on the error itself, in an AggregateError's list, down the cause chain, or per item
// in the decoded response. A spec asserts on the codes, so collect every non-zero one.

/** Every non-zero Kafka error code (apiCode / errorCode) reachable from `error`, each object once. */
export function codesOf(error) {
  const codes = [];
  const seen = new Set();
  const walk = (e) => {
    if (!e || typeof e !== 'object' || seen.has(e)) return;
    seen.add(e);
    for (const key of ['apiCode', 'errorCode']) if (typeof e[key] === 'number' && e[key] !== 0) codes.push(e[key]);
    for (const inner of e.errors ?? []) walk(inner);
    walk(e.cause);
    // The response's own top-level error code, then its per-item lists (topics, groups, ...).
    if (e.response && typeof e.response === 'object') {
      walk(e.response);
      for (const v of Object.values(e.response)) if (Array.isArray(v)) v.forEach(walk);
    }
  };
  walk(error);
  return codes;
}
