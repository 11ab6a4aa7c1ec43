import { formatLogLine } from './combined-log';

describe('formatLogLine', () => {
  it('turns a pino JSON line into time, service, level and message', () => {
    const time = Date.UTC(2026, 0, 2, 3, 4, 5);
    const line = JSON.stringify({ level: 40, time, msg: 'disk slow', err: { message: 'EIO' } });
    expect(formatLogLine('replication-a', line)).toBe('03:04:05 replication-a   WARN  disk slow (EIO)');
  });

  it('keeps lines that are not JSON as they are', () => {
    expect(formatLogLine('etcd', 'plain text')).toMatch(/^\d\d:\d\d:\d\d etcd {12}plain text$/);
  });
});
