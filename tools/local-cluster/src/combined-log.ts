// A readable combined view of every service's JSON log lines: `12:00:01 broker-a  INFO  ready`.
// The per-service files keep the raw JSON; this view is for humans (terminal and combined.log).
const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };

export function formatLogLine(serviceId: string, line: string): string {
  const label = serviceId.padEnd(15);
  let record: unknown;
  try {
    record = JSON.parse(line);
  } catch {
    return `${clock(Date.now())} ${label} ${line}`;
  }
  if (typeof record !== 'object' || record === null) return `${clock(Date.now())} ${label} ${line}`;
  const fields = record as Record<string, unknown>;
  const time = typeof fields['time'] === 'number' ? fields['time'] : Date.now();
  const level = typeof fields['level'] === 'number' ? (LEVELS[fields['level']] ?? String(fields['level'])) : 'INFO';
  const msg = typeof fields['msg'] === 'string' ? fields['msg'] : '';
  const err = fields['err'] as { message?: unknown } | undefined;
  const detail = err && typeof err.message === 'string' ? ` (${err.message})` : '';
  return `${clock(time)} ${label} ${level.padEnd(5)} ${msg}${detail}`;
}

function clock(ms: number): string {
  return new Date(ms).toISOString().slice(11, 19);
}
