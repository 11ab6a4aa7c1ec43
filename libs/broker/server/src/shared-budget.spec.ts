// The process-wide budget over several streams: above it every stream stops reading; they all
// resume once the bytes in flight fall below half of it. No request is refused or lost.
import { EventEmitter } from 'node:events';
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { SharedByteBudget } from './shared-budget';
import { pumpStream } from './stream-pump';

interface Req {
  readonly id: number;
  readonly bytes: number;
}

/** Just enough of a gRPC server duplex stream: data in, writes recorded, pause state visible. */
class FakeCall extends EventEmitter {
  paused = false;
  readonly written: number[] = [];
  pause(): void {
    this.paused = true;
  }
  resume(): void {
    this.paused = false;
  }
  write(res: number): boolean {
    this.written.push(res);
    return true;
  }
  end(): void {
    this.emit('finished');
  }
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function pump(shared: SharedByteBudget, pending: Map<number, () => void>): { call: FakeCall; stats: () => { inFlightBytes: number } } {
  const call = new FakeCall();
  const stats = pumpStream<Req, number>({
    call: call as unknown as ServerDuplexStream<Req, number>,
    sizeOf: (r) => r.bytes,
    maxInFlightBytes: 1_000_000,
    shared,
    handle: (r) => new Promise((resolve) => pending.set(r.id, () => resolve(r.id))),
    onFault: (r) => -r.id,
    log: silent as never,
  });
  return { call, stats };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('SharedByteBudget across streams', () => {
  it('pauses every stream above the process budget and resumes them all below half of it', async () => {
    const shared = new SharedByteBudget(1000);
    const pending = new Map<number, () => void>();
    const a = pump(shared, pending);
    const b = pump(shared, pending);
    a.call.emit('data', { id: 1, bytes: 600 });
    expect([a.call.paused, b.call.paused]).toEqual([false, false]);
    // Stream b's request takes the process over its budget: b stops reading, and a, which is
    // under its own per-stream budget, stops at its next check.
    b.call.emit('data', { id: 2, bytes: 600 });
    expect(b.call.paused).toBe(true);
    a.call.emit('data', { id: 3, bytes: 10 });
    expect(a.call.paused).toBe(true);
    expect(shared.inUse).toBe(1210);

    // 610 in flight is still above half the budget: both stay paused.
    pending.get(2)?.();
    await tick();
    expect(shared.inUse).toBe(610);
    expect([a.call.paused, b.call.paused]).toEqual([true, true]);

    // Below half: the relief wakes both, and every request was answered on its own stream.
    pending.get(1)?.();
    await tick();
    expect(shared.inUse).toBe(10);
    expect([a.call.paused, b.call.paused]).toEqual([false, false]);
    pending.get(3)?.();
    await tick();
    expect(shared.inUse).toBe(0);
    expect(a.call.written.sort()).toEqual([1, 3]);
    expect(b.call.written).toEqual([2]);
  });

  it('a cancelled stream returns its bytes and stops listening for relief', async () => {
    const shared = new SharedByteBudget(100);
    const pending = new Map<number, () => void>();
    const a = pump(shared, pending);
    a.call.emit('data', { id: 1, bytes: 500 });
    expect(a.call.paused).toBe(true);
    a.call.emit('cancelled');
    pending.get(1)?.();
    await tick();
    expect(shared.inUse).toBe(0);
    expect(a.call.written).toEqual([]);
  });

  it('refuses a budget that is not a positive integer', () => {
    expect(() => new SharedByteBudget(0)).toThrow(RangeError);
  });
});
