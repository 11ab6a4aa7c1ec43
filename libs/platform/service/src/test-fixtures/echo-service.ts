// Test fixture process for service.int.spec.ts: a tiny service whose Echo/Unary call answers
// after the number of milliseconds in its 4-byte request, and whose readiness follows a file.
import { existsSync } from 'node:fs';
import type { handleUnaryCall, MethodDefinition } from '@grpc/grpc-js';
import { z } from 'zod';
import { baseConfigShape, text } from '@stratus/platform-config';
import { runService } from '../run-service';

const identity = (value: Buffer): Buffer => value;
const unary: MethodDefinition<Buffer, Buffer> = {
  path: '/stratus.test.v1.Echo/Unary',
  requestStream: false,
  responseStream: false,
  requestSerialize: identity,
  requestDeserialize: identity,
  responseSerialize: identity,
  responseDeserialize: identity,
};

const schema = z.object({
  ...baseConfigShape({ grpcPort: 0, adminPort: 0 }),
  /** While this file exists the service reports itself not ready. */
  notReadyFile: text().optional(),
});

const slowEcho: handleUnaryCall<Buffer, Buffer> = (call, callback) => {
  setTimeout(() => callback(null, Buffer.from('done')), call.request.readUInt32BE(0));
};

runService({
  name: 'echo',
  configSchema: schema,
  setup(context) {
    context.addGrpcService({ Unary: unary }, { Unary: slowEcho });
    const flagFile = context.config.notReadyFile;
    context.addReadinessCheck('flag-file', () => flagFile === undefined || !existsSync(flagFile));
    context.onShutdown('goodbye', () => context.logger.info('closer ran'));
  },
});
