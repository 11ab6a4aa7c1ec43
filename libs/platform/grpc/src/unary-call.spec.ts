import { Metadata, status, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { unaryCall, UnaryCallOptionsError } from './unary-call';

/** A stand-in for a generated method that records what it was called with and answers at once. */
class RecordingClient {
  readonly calls: Array<{ self: unknown; request: string; metadata: Metadata; options: Partial<CallOptions> }> = [];
  echo(request: string, metadata: Metadata, options: Partial<CallOptions>, callback: (error: ServiceError | null, response?: string) => void): void {
    this.calls.push({ self: this, request, metadata, options });
    callback(null, `echo:${request}`);
  }
}

describe('unaryCall (no network)', () => {
  it('calls the method with the client as this, a deadline, and the given metadata', async () => {
    const client = new RecordingClient();
    const before = Date.now();
    expect(await unaryCall(client, client.echo, 'hi', { timeoutMs: 2_000, metadata: { 'x-tenant': 't1' } })).toBe('echo:hi');
    const [call] = client.calls;
    expect(call?.self).toBe(client);
    const deadline = call?.options.deadline as Date;
    expect(deadline.getTime()).toBeGreaterThanOrEqual(before + 2_000);
    expect(call?.metadata.get('x-tenant')).toEqual(['t1']);
    expect(call?.metadata.getOptions().waitForReady).toBeFalsy();
  });

  it('copies a Metadata object and adds wait-for-ready without changing the caller\'s', async () => {
    const client = new RecordingClient();
    const given = new Metadata();
    given.set('x-a', '1');
    const deadline = new Date(Date.now() + 60_000);
    await unaryCall(client, client.echo, 'x', { deadline, metadata: given, waitForReady: true });
    const [call] = client.calls;
    expect(call?.options.deadline).toBe(deadline);
    expect(call?.metadata.get('x-a')).toEqual(['1']);
    expect(call?.metadata.getOptions().waitForReady).toBe(true);
    expect(given.getOptions().waitForReady).toBeFalsy();
  });

  it('defaults to a deadline DEFAULT_CALL_TIMEOUT_MS away', async () => {
    const client = new RecordingClient();
    const before = Date.now();
    await unaryCall(client, client.echo, 'x');
    const deadline = client.calls[0]?.options.deadline as Date;
    expect(deadline.getTime()).toBeGreaterThanOrEqual(before + 5_000);
    expect(deadline.getTime()).toBeLessThan(before + 60_000);
  });

  it.each([
    [{ timeoutMs: -1 }, /timeoutMs must be a finite number >= 0, got -1/],
    [{ timeoutMs: Number.NaN }, /got NaN/],
    [{ timeoutMs: Number.POSITIVE_INFINITY }, /got Infinity/],
    [{ deadline: new Date('nope') }, /deadline is an invalid Date/],
    [{ timeoutMs: 10, deadline: new Date() }, /either timeoutMs or deadline, not both/],
  ])('rejects bad options %p before calling', async (options, message) => {
    const client = new RecordingClient();
    const result = unaryCall(client, client.echo, 'x', options);
    await expect(result).rejects.toBeInstanceOf(UnaryCallOptionsError);
    await expect(result).rejects.toThrow(message);
    expect(client.calls).toHaveLength(0);
  });

  it('does not call at all when the signal is already aborted', async () => {
    const client = new RecordingClient();
    const controller = new AbortController();
    controller.abort();
    await expect(unaryCall(client, client.echo, 'x', { signal: controller.signal })).rejects.toMatchObject({ code: status.CANCELLED });
    expect(client.calls).toHaveLength(0);
  });

  it('rejects a success callback without a response instead of resolving undefined', async () => {
    const client = {
      empty(_r: string, _m: Metadata, _o: Partial<CallOptions>, cb: (e: ServiceError | null, r?: string) => void) {
        cb(null, undefined);
      },
    };
    await expect(unaryCall(client, client.empty, 'x')).rejects.toThrow(/neither an error nor a response/);
  });
});
