// A truncation or reset spans several files (segments deleted, one cut, the epoch history
// rewritten). Its intent is written durably first and replayed on open, so a crash in the middle
// always finishes the operation instead of leaving a log whose epoch history describes other data.
import { join } from 'node:path';
import type { FileIo } from './file-io';
import { removeDurably, writeDurably } from './durable-file';

export const INTENT_FILE = 'truncation-intent';

/**
 * A reset may keep a logical start below the offset the emptied log restarts at (a peer whose
 * older records live only in tiered storage): `logStart`, absent = `offset`. It is part of the
 * intent so a replay never persists a start above the partition's real one.
 */
export type Intent = { readonly kind: 'truncate'; readonly offset: bigint } | { readonly kind: 'reset'; readonly offset: bigint; readonly logStart?: bigint };

export async function writeIntent(io: FileIo, dir: string, intent: Intent): Promise<void> {
  const start = intent.kind === 'reset' && intent.logStart !== undefined ? ` ${intent.logStart}` : '';
  await writeDurably(io, join(dir, INTENT_FILE), Buffer.from(`0\n${intent.kind} ${intent.offset}${start}\n`, 'utf8'));
}

export async function readIntent(io: FileIo, dir: string): Promise<Intent | undefined> {
  const data = await io.readFileIfExists(join(dir, INTENT_FILE));
  if (!data) return undefined;
  const m = /^0\n(truncate|reset) (\d+)(?: (\d+))?\n$/.exec(data.toString('utf8'));
  if (!m || (m[1] === 'truncate' && m[3] !== undefined)) throw new Error(`${join(dir, INTENT_FILE)}: malformed truncation intent`);
  const offset = BigInt(m[2] as string);
  if (m[1] === 'truncate') return { kind: 'truncate', offset };
  return m[3] === undefined ? { kind: 'reset', offset } : { kind: 'reset', offset, logStart: BigInt(m[3]) };
}

export async function clearIntent(io: FileIo, dir: string): Promise<void> {
  await removeDurably(io, join(dir, INTENT_FILE));
}
