import { Writable } from 'node:stream';
import { createLogger, REDACTION_CENSOR } from './logger';

function capture(): { stream: Writable; lines: () => Record<string, unknown>[]; raw: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString('utf8');
      callback();
    },
  });
  return {
    stream,
    raw: () => text,
    lines: () =>
      text
        .split('\n')
        .filter((line) => line.length > 0)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('createLogger', () => {
  it('writes one JSON object per line with service, level name and message', () => {
    const out = capture();
    const logger = createLogger({ service: 'broker', destination: out.stream, bindings: { az: 'az-1' } });
    logger.info({ grpcPort: 1234 }, 'ready');
    const [line] = out.lines();
    expect(line).toMatchObject({ service: 'broker', az: 'az-1', level: 'info', msg: 'ready', grpcPort: 1234 });
    expect(typeof line?.['time']).toBe('string');
  });

  it('binds fields in child loggers', () => {
    const out = capture();
    const logger = createLogger({ service: 'router', destination: out.stream });
    logger.child({ tenant: 't-42', api: 'Produce' }).warn({ correlationId: 7 }, 'slow');
    expect(out.lines()[0]).toMatchObject({ service: 'router', tenant: 't-42', api: 'Produce', correlationId: 7 });
  });

  it('honours the level', () => {
    const out = capture();
    const logger = createLogger({ service: 'x', level: 'warn', destination: out.stream });
    logger.info('hidden');
    logger.error('shown');
    expect(out.lines().map((line) => line['msg'])).toEqual(['shown']);
  });

  it('never writes secrets, at the top level or nested', () => {
    const out = capture();
    const logger = createLogger({ service: 'router', destination: out.stream });
    logger.info({ password: 'pw-top-1', apiSecret: 'sec-top-2' }, 'top');
    logger.info({ request: { saslAuthBytes: 'AHVzZXIAcHctbmVzdGVkLTM=', authBytes: 'raw-4' } }, 'nested');
    logger.info({ a: { b: { user: { password: 'pw-deep-5', token: 'tok-6' } } } }, 'deep');
    logger.child({ credentials: { secret: 'child-7' } }).info('child');
    logger.info({ headers: { authorization: 'Bearer abc-8' } }, 'headers');
    const raw = out.raw();
    for (const secret of ['pw-top-1', 'sec-top-2', 'AHVzZXIAcHctbmVzdGVkLTM=', 'raw-4', 'pw-deep-5', 'tok-6', 'child-7', 'abc-8']) {
      expect(raw).not.toContain(secret);
    }
    expect(out.lines()[0]).toMatchObject({ password: REDACTION_CENSOR, apiSecret: REDACTION_CENSOR });
  });

  it('serialises errors with message and stack', () => {
    const out = capture();
    createLogger({ service: 'x', destination: out.stream }).error({ err: new Error('boom') }, 'failed');
    const err = out.lines()[0]?.['err'] as Record<string, unknown>;
    expect(err['message']).toBe('boom');
    expect(String(err['stack'])).toContain('Error: boom');
  });
});
