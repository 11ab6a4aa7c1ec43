// stdin/stdout plumbing for the Node.js drivers: read one JSON request, print one JSON result line.
import type { DriverRequest, DriverResult } from '../../src/protocol';

export async function readRequest(): Promise<DriverRequest> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as DriverRequest;
}

/** Runs a driver: any exception becomes `{ ok: false, error }` so the runner always gets a result. */
export async function runDriver(handle: (request: DriverRequest) => Promise<DriverResult>): Promise<void> {
  let result: DriverResult;
  try {
    result = await handle(await readRequest());
  } catch (error) {
    result = { ok: false, error: describeError(error) };
  }
  // Client libraries can leave sockets or timers behind, so exit explicitly — but only once the
  // result is flushed: stdout to a pipe is asynchronous and process.exit() would cut it short.
  process.stdout.write(`\n${JSON.stringify(result)}\n`, () => process.exit(0));
}

interface ClientError extends Error {
  type?: string;
  errors?: unknown[];
  cause?: unknown;
}

/** A client error with what its wrappers hide: kafkajs and platformatic aggregate per-topic errors (with the Kafka error name in `type`). */
export function describeError(error: unknown): string {
  const e = error as ClientError;
  const own = `${e.name ?? 'Error'}${e.type ? ` ${e.type}` : ''}: ${e.message}`;
  const inner = [...(Array.isArray(e.errors) ? e.errors : []), ...(e.cause ? [e.cause] : [])].slice(0, 6).map((x) => describeError(x));
  return inner.length > 0 ? `${own} [${inner.join('; ')}]` : own;
}

/** Resolves when `done()` holds, polling; rejects with `what` after `timeoutMs`. */
export async function until(done: () => boolean, timeoutMs: number, what: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const recordKey = (i: number): string => `k${i}`;
export const recordValue = (tag: string, i: number): string => `${tag}-${i}`;
