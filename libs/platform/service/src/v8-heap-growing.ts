import { setFlagsFromString } from 'node:v8';

/**
 * Sets V8's heap growing factor for this process (`BaseConfig.v8HeapGrowingPercent`, V8's
 * --heap-growing-percent); 0 leaves V8's own dynamic factor. It is set through node:v8 rather than
 * on the command line because NODE_OPTIONS does not accept this V8 flag, and a Deployment's config
 * reaches the process as environment variables. V8 reads the flag whenever it sizes the old
 * generation after a mark-compact, so setting it once the service has started takes effect from
 * the next one. Returns the flag it set, if any.
 */
export function applyV8HeapGrowingPercent(percent: number, setFlags: (flags: string) => void = setFlagsFromString): string | undefined {
  if (!Number.isInteger(percent) || percent <= 0) return undefined;
  const flag = `--heap-growing-percent=${percent}`;
  setFlags(flag);
  return flag;
}
