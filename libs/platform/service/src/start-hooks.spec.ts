// onStarted hooks run in-process with the bound ports; a failing hook is logged, not fatal.
import { Writable } from 'node:stream';
import { z } from 'zod';
import { baseConfigShape } from '@stratus/platform-config';
import { startService, type StartedPorts } from './index';

const schema = z.object({ ...baseConfigShape({ grpcPort: 0, adminPort: 0 }) });

describe('onStarted hooks', () => {
  it('run after binding with the real ports; a throwing hook is logged and the service keeps running', async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    const seen: StartedPorts[] = [];
    const service = await startService({
      name: 'hooks',
      configSchema: schema,
      env: { STRATUS_BIND_HOST: '127.0.0.1', STRATUS_LOG_LEVEL: 'info' },
      argv: [],
      logDestination: destination,
      setup(context) {
        context.onStarted('record', (ports) => void seen.push(ports));
        context.onStarted('broken', () => Promise.reject(new Error('hook bug')));
      },
    });
    try {
      await new Promise((r) => setTimeout(r, 50));
      expect(seen).toEqual([{ grpcPort: service.grpcPort, adminPort: service.adminPort }]);
      expect(service.grpcPort).toBeGreaterThan(0);
      expect(lines.join('\n')).toContain('start hook failed');
    } finally {
      await service.shutdown('test');
    }
  });
});
