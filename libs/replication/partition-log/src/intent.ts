// A truncation or reset spans several files (segments deleted, one cut, the epoch history
// rewritten). Its intent is written durably first and replayed on open, so a crash in the middle
// always finishes the operation instead of leaving a log whose epoch history describes other data.
import { join } from 'node:path';
import type { FileIo } from './file-io';
import { removeDurably, writeDurably } from './durable-file';

export const INTENT_FILE = 'truncation-intent';

export type Intent = { readonly kind: 'truncate'; readonly offset: bigint } | { readonly kind: 'reset'; readonly offset: bigint };

export async function writeIntent(io: FileIo, dir: string, intent: Intent): Promise<void> {
  await writeDurably(io, join(dir, INTENT_FILE), Buffer.from(`0\n${intent.kind} ${intent.offset}\n`, 'utf8'));
}

export async function readIntent(io: FileIo, dir: string): Promise<Intent | undefined> {
  const data = await io.readFileIfExists(join(dir, INTENT_FILE));
  if (!data) return undefined;
  const m = /^0\n(truncate|reset) (\d+)\n$/.exec(data.toString('utf8'));
  if (!m) throw new Error(`${join(dir, INTENT_FILE)}: malformed truncation intent`);
  return { kind: m[1] as Intent['kind'], offset: BigInt(m[2] as string) };
}

export async function clearIntent(io: FileIo, dir: string): Promise<void> {
  await removeDurably(io, join(dir, INTENT_FILE));
}
