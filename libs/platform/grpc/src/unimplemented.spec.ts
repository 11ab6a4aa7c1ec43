import { status } from '@grpc/grpc-js';
import { grpcClientChannelOptions } from './client';
import { grpcServerChannelOptions, serviceNameOf } from './server';
import { echoServiceDefinition } from './test-support';
import { unimplemented } from './unimplemented';

type Failure = { code: number; details: string };

describe('unimplemented', () => {
  const handlers = unimplemented(echoServiceDefinition, { owner: 'issue 9' });

  it('has a handler for every method', () => {
    expect(Object.keys(handlers).sort()).toEqual(['Bidi', 'ClientStream', 'ServerStream', 'Unary']);
  });

  it.each(['Unary', 'ClientStream'])('answers %s through the callback with UNIMPLEMENTED naming method and owner', (name) => {
    let failure: Failure | undefined;
    (handlers[name] as unknown as (call: unknown, cb: (e: Failure) => void) => void)({}, (e) => (failure = e));
    expect(failure).toEqual({
      code: status.UNIMPLEMENTED,
      details: `stratus.test.v1.Echo/${name} is not implemented yet (owner: issue 9)`,
    });
  });

  it.each(['ServerStream', 'Bidi'])('ends %s with an UNIMPLEMENTED error on the stream', (name) => {
    const emitted: Failure[] = [];
    const call = { emit: (_event: string, e: Failure) => emitted.push(e) > 0 };
    (handlers[name] as unknown as (call: unknown) => void)(call);
    expect(emitted).toEqual([{ code: status.UNIMPLEMENTED, details: `stratus.test.v1.Echo/${name} is not implemented yet (owner: issue 9)` }]);
  });
});

describe('server and client helpers', () => {
  it('reads the fully qualified service name from method paths', () => {
    expect(serviceNameOf(echoServiceDefinition)).toBe('stratus.test.v1.Echo');
    expect(() => serviceNameOf({})).toThrow('no methods');
  });

  it('sets message size and keepalive channel options', () => {
    expect(grpcServerChannelOptions({ maxReceiveMessageBytes: 1024 })).toMatchObject({
      'grpc.max_receive_message_length': 1024,
      'grpc.max_send_message_length': 64 * 1024 * 1024,
      'grpc.keepalive_time_ms': 30_000,
    });
    expect(grpcClientChannelOptions({ channelOptions: { 'grpc.lb_policy_name': 'round_robin' } })).toMatchObject({
      'grpc.keepalive_permit_without_calls': 1,
      'grpc.lb_policy_name': 'round_robin',
    });
  });
});
