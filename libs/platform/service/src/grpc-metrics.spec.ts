import { EventEmitter } from 'node:events';
import { status, type handleUnaryCall, type MethodDefinition, type ServiceDefinition } from '@grpc/grpc-js';
import { createMetrics } from '@stratus/platform-metrics';
import { createGrpcServerMetrics } from './grpc-metrics';

const identity = (value: Buffer): Buffer => value;
const method = (name: string, responseStream: boolean): MethodDefinition<Buffer, Buffer> => ({
  path: `/stratus.test.v1.Echo/${name}`,
  requestStream: false,
  responseStream,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
});
const definition: ServiceDefinition = { unary: method('Unary', false), watch: method('Watch', true) };

describe('gRPC server metrics', () => {
  it('counts unary calls by final status and times them', async () => {
    const metrics = createMetrics({ service: 't', processMetrics: false });
    const handlers = createGrpcServerMetrics(metrics).instrument('stratus.test.v1.Echo', definition, {
      unary: ((call, callback) =>
        call.request === 'fail' ? callback({ code: status.NOT_FOUND }) : callback(null, 'ok')) as handleUnaryCall<string, string>,
      watch: () => undefined,
    });
    const replies: unknown[] = [];
    const unary = handlers['unary'] as unknown as (call: object, cb: (...args: unknown[]) => void) => void;
    unary(Object.assign(new EventEmitter(), { request: 'x' }), (...args) => replies.push(args));
    unary(Object.assign(new EventEmitter(), { request: 'fail' }), (...args) => replies.push(args));
    expect(replies).toEqual([[null, 'ok'], [{ code: status.NOT_FOUND }]]);
    const text = await metrics.render();
    expect(text).toContain('stratus_grpc_server_handled_total{service="stratus.test.v1.Echo",method="Unary",code="OK"} 1');
    expect(text).toContain('stratus_grpc_server_handled_total{service="stratus.test.v1.Echo",method="Unary",code="NOT_FOUND"} 1');
    expect(text).toContain('stratus_grpc_server_handling_seconds_count{service="stratus.test.v1.Echo",method="Unary"} 2');
  });

  it('counts a streaming call once, by how it ended', async () => {
    const metrics = createMetrics({ service: 't', processMetrics: false });
    const handlers = createGrpcServerMetrics(metrics).instrument('stratus.test.v1.Echo', definition, {
      unary: () => undefined,
      watch: () => undefined,
    });
    const watch = handlers['watch'] as unknown as (call: EventEmitter) => void;
    const ended = new EventEmitter();
    watch(ended);
    ended.emit('finish');
    ended.emit('cancelled');
    const failed = new EventEmitter();
    watch(failed);
    failed.emit('error', { code: status.UNIMPLEMENTED });
    const cancelled = new EventEmitter();
    watch(cancelled);
    cancelled.emit('cancelled');
    const text = await metrics.render();
    for (const code of ['OK', 'UNIMPLEMENTED', 'CANCELLED']) {
      expect(text).toContain(`stratus_grpc_server_handled_total{service="stratus.test.v1.Echo",method="Watch",code="${code}"} 1`);
    }
  });
});
