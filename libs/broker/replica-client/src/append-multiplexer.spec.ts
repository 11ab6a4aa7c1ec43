import { EventEmitter } from 'node:events';
import type { replicationV1 } from '@stratus/contracts';
import { AppendMultiplexer, type AppendStreamHandle, type OutgoingAppend } from './append-multiplexer';

/** A stand-in for grpc-js's duplex stream: records writes; the test plays the node. */
class FakeStream extends EventEmitter implements AppendStreamHandle {
  readonly written: replicationV1.AppendRequest[] = [];
  cancelled = 0;
  failWrites = false;
  write(request: replicationV1.AppendRequest): boolean {
    if (this.failWrites) throw new Error('write after end');
    this.written.push(request);
    return true;
  }
  cancel(): void {
    this.cancelled++;
    // grpc-js reports a cancelled call as an error with status CANCELLED.
    if (this.cancelled === 1) this.emit('error', new Error('1 CANCELLED: Cancelled on client'));
  }
  ack(request: replicationV1.AppendRequest, over: Partial<replicationV1.AppendResponse> = {}): void {
    this.emit('data', { requestId: request.requestId, partition: request.partition, error: undefined, logEndOffset: request.endOffset, promisedEpoch: request.epoch, ...over });
  }
}

const ref = (partition: number) => ({ topicId: { value: Buffer.alloc(16, 1) }, partition });
const append = (partition: number, base: bigint): OutgoingAppend => ({
  partition: ref(partition),
  epoch: 3,
  baseOffset: base,
  endOffset: base + 1n,
  records: Buffer.from('x'),
  committedOffset: 0n,
  forceFlush: false,
});

function setup(timeoutMs = 1_000) {
  const streams: FakeStream[] = [];
  let clock = 0;
  const mux = new AppendMultiplexer({
    open: () => {
      const s = new FakeStream();
      streams.push(s);
      return s;
    },
    timeoutMs,
    label: 'node n1',
    now: () => clock,
  });
  return { mux, streams, advance: (ms: number) => (clock += ms) };
}

describe('AppendMultiplexer', () => {
  afterEach(() => jest.useRealTimers());

  it('multiplexes all partitions over one stream and matches acks by request id, in any order', async () => {
    const { mux, streams } = setup();
    const a = mux.send(append(0, 0n));
    const b = mux.send(append(1, 0n));
    const c = mux.send(append(0, 1n));
    expect(streams).toHaveLength(1);
    const [s] = streams as [FakeStream];
    const ids = s.written.map((w) => w.requestId);
    expect(new Set(ids).size).toBe(3);
    // Partition 1 answers first; partition 0 in its own order.
    s.ack(s.written[1] as replicationV1.AppendRequest, { logEndOffset: 1n });
    s.ack(s.written[0] as replicationV1.AppendRequest, { logEndOffset: 1n });
    s.ack(s.written[2] as replicationV1.AppendRequest, { logEndOffset: 2n });
    expect(await b).toMatchObject({ ok: true, value: { partition: ref(1), logEndOffset: 1n } });
    expect(await a).toMatchObject({ ok: true, value: { partition: ref(0), logEndOffset: 1n } });
    expect(await c).toMatchObject({ ok: true, value: { logEndOffset: 2n } });
    expect(mux.stats()).toEqual({ streamsOpened: 1, inFlight: 0, timedOut: 0 });
  });

  it('a stream error fails every request in flight on it, and the next send opens a new stream', async () => {
    const { mux, streams } = setup();
    const pending = [mux.send(append(0, 0n)), mux.send(append(1, 0n))];
    (streams[0] as FakeStream).emit('error', new Error('14 UNAVAILABLE: Connection dropped'));
    for (const p of await Promise.all(pending)) {
      expect(p).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('Connection dropped') } });
    }
    const next = mux.send(append(0, 0n));
    expect(streams).toHaveLength(2);
    const s2 = streams[1] as FakeStream;
    s2.ack(s2.written[0] as replicationV1.AppendRequest);
    expect((await next).ok).toBe(true);
    // Request ids stay unique across streams, so a late ack of the dead stream matches nothing.
    expect(s2.written[0]?.requestId).toBe(3n);
    expect(mux.stats().streamsOpened).toBe(2);
  });

  it('an end of the stream by the node fails what is in flight', async () => {
    const { mux, streams } = setup();
    const p = mux.send(append(0, 0n));
    (streams[0] as FakeStream).emit('end');
    expect(await p).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('ended') } });
  });

  it('an append without an ack fails with UNAVAILABLE at its deadline; the stream stays while other acks flow', async () => {
    jest.useFakeTimers();
    const { mux, streams, advance } = setup(500);
    const slow = mux.send(append(0, 0n));
    advance(200);
    const fast = mux.send(append(1, 0n));
    const s = streams[0] as FakeStream;
    advance(100);
    s.ack(s.written[1] as replicationV1.AppendRequest);
    expect((await fast).ok).toBe(true);
    advance(200);
    jest.advanceTimersByTime(500);
    expect(await slow).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('DEADLINE_EXCEEDED') } });
    expect(mux.stats()).toEqual({ streamsOpened: 1, inFlight: 0, timedOut: 1 });
    // A slow partition does not cost the others their stream; a late ack is ignored.
    expect(s.cancelled).toBe(0);
    s.ack(s.written[0] as replicationV1.AppendRequest);
    expect(mux.stats().inFlight).toBe(0);
  });

  it('a stream without any ack for a whole deadline is reset: what is in flight fails, the next send opens a new stream', async () => {
    jest.useFakeTimers();
    const { mux, streams, advance } = setup(500);
    const first = mux.send(append(0, 0n));
    advance(300);
    const second = mux.send(append(1, 0n));
    advance(200);
    jest.advanceTimersByTime(500);
    expect(await first).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('DEADLINE_EXCEEDED') } });
    // Not yet due, but sent on a stream that is presumed hung (a paused node): failed with it.
    expect(await second).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('stream reset') } });
    expect((streams[0] as FakeStream).cancelled).toBe(1);
    const third = mux.send(append(0, 0n));
    expect(streams).toHaveLength(2);
    const s2 = streams[1] as FakeStream;
    s2.ack(s2.written[0] as replicationV1.AppendRequest);
    expect((await third).ok).toBe(true);
    expect(mux.stats()).toEqual({ streamsOpened: 2, inFlight: 0, timedOut: 1 });
  });

  it('close() fails everything in flight, cancels the stream once and refuses later sends', async () => {
    const { mux, streams } = setup();
    const p = mux.send(append(0, 0n));
    mux.close('broker shutting down');
    expect(await p).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('broker shutting down') } });
    expect((streams[0] as FakeStream).cancelled).toBe(1);
    expect(await mux.send(append(0, 1n))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(streams).toHaveLength(1);
  });

  it('a failing write or open answers UNAVAILABLE instead of throwing', async () => {
    const { mux, streams } = setup();
    const first = mux.send(append(0, 0n));
    const s = streams[0] as FakeStream;
    s.ack(s.written[0] as replicationV1.AppendRequest);
    expect((await first).ok).toBe(true);
    s.failWrites = true;
    expect(await mux.send(append(0, 1n))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('write failed') } });
    const broken = new AppendMultiplexer({ open: () => { throw new Error('channel closed'); }, timeoutMs: 100, label: 'n2' });
    expect(await broken.send(append(0, 0n))).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE', message: expect.stringContaining('channel closed') } });
  });
});
