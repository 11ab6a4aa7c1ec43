// The stream multiplexer over a scripted duplex (no network): answers in any order, failures
// failing only what is in flight, re-opening, deadlines.
import { EventEmitter } from 'node:events';
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { BrokerUnavailableError } from './broker-errors';
import { MultiplexedStream } from './multiplexed-stream';

interface Req {
  id: bigint;
  body: string;
}
interface Res {
  id: bigint;
  body: string;
}

class ScriptedStream extends EventEmitter {
  readonly written: Req[] = [];
  cancelled = false;
  write(request: Req): boolean {
    this.written.push(request);
    return true;
  }
  cancel(): void {
    this.cancelled = true;
  }
  answer(id: bigint, body: string): void {
    this.emit('data', { id, body } satisfies Res);
  }
}

function setup() {
  const streams: ScriptedStream[] = [];
  const failures: number[] = [];
  const mux = new MultiplexedStream<Req, Res>({
    nodeId: 'b1',
    rpc: 'Produce',
    open: () => {
      const s = new ScriptedStream();
      streams.push(s);
      return s as unknown as ClientDuplexStream<Req, Res>;
    },
    correlationIdOf: (r) => r.id,
    onFailure: (_e, n) => failures.push(n),
  });
  return { mux, streams, failures };
}

describe('MultiplexedStream', () => {
  it('matches answers to requests by correlation id, in any order, on one stream', async () => {
    const { mux, streams } = setup();
    const a = mux.call((id) => ({ id, body: 'a' }), 1000);
    const b = mux.call((id) => ({ id, body: 'b' }), 1000);
    expect(streams).toHaveLength(1);
    const [first, second] = streams[0]?.written ?? [];
    streams[0]?.answer(second?.id ?? 0n, 'answer-b');
    streams[0]?.answer(first?.id ?? 0n, 'answer-a');
    await expect(a).resolves.toMatchObject({ body: 'answer-a' });
    await expect(b).resolves.toMatchObject({ body: 'answer-b' });
    expect(first?.id).not.toBe(second?.id);
    expect(mux.inFlight).toBe(0);
  });

  it('fails everything in flight with a retriable error when the stream fails, and re-opens for the next call', async () => {
    const { mux, streams, failures } = setup();
    const a = mux.call((id) => ({ id, body: 'a' }), 1000);
    const b = mux.call((id) => ({ id, body: 'b' }), 1000);
    streams[0]?.emit('error', new Error('connection reset'));
    for (const p of [a, b]) {
      const error = await p.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(error).toMatchObject({ kind: 'stream-failed', retriable: true });
    }
    expect(failures).toEqual([2]);
    const c = mux.call((id) => ({ id, body: 'c' }), 1000);
    expect(streams).toHaveLength(2);
    streams[1]?.answer(streams[1]?.written[0]?.id ?? 0n, 'answer-c');
    await expect(c).resolves.toMatchObject({ body: 'answer-c' });
  });

  it('treats a broker ending its side as a failure', async () => {
    const { mux, streams } = setup();
    const a = mux.call((id) => ({ id, body: 'a' }), 1000);
    streams[0]?.emit('end');
    await expect(a).rejects.toMatchObject({ kind: 'stream-failed' });
  });

  it('times a call out without touching the others; a late answer is dropped', async () => {
    const { mux, streams } = setup();
    const slow = mux.call((id) => ({ id, body: 'slow' }), 10);
    const other = mux.call((id) => ({ id, body: 'other' }), 5000);
    await expect(slow).rejects.toMatchObject({ kind: 'deadline', retriable: true });
    streams[0]?.answer(streams[0]?.written[0]?.id ?? 0n, 'late');
    streams[0]?.answer(streams[0]?.written[1]?.id ?? 0n, 'answer-other');
    await expect(other).resolves.toMatchObject({ body: 'answer-other' });
  });

  it('after close, fails in-flight and new calls as closed (not retriable) and cancels the stream', async () => {
    const { mux, streams } = setup();
    const a = mux.call((id) => ({ id, body: 'a' }), 1000);
    mux.close();
    await expect(a).rejects.toMatchObject({ kind: 'closed', retriable: false });
    await expect(mux.call((id) => ({ id, body: 'b' }), 1000)).rejects.toMatchObject({ kind: 'closed' });
    expect(streams[0]?.cancelled).toBe(true);
  });
});
