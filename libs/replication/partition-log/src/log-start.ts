// The logical log start of a partition replica (Kafka's log-start-offset checkpoint). Records
// below it are deleted for good (DeleteRecords, retention moving the log start). It need not be
// a segment or even a batch boundary: DeleteRecords may name any offset, so the first remaining
// segment can still hold bytes below it. Those bytes are never served (reads below the logical
// start answer OFFSET_OUT_OF_RANGE, as in Kafka) and whole segments below it are deleted.
//
// The value is persisted durably before the move is acknowledged: a replica that restarts must
// still report the moved start, because a new leader's recovery takes the highest start over its
// quorum, and a DeleteRecords that a write quorum acknowledged must stay applied (any recovery
// quorum intersects that write quorum).
import { join } from 'node:path';
import { writeDurably } from './durable-file';
import type { FileIo } from './file-io';

export const LOG_START_FILE = 'log-start-offset';

export function encodeLogStart(offset: bigint): Buffer {
  return Buffer.from(`0\n${offset}\n`, 'utf8');
}

export function decodeLogStart(data: Buffer, source: string): bigint {
  const m = /^0\n(\d+)\n$/.exec(data.toString('utf8'));
  if (!m) throw new Error(`${source}: malformed log start file`);
  return BigInt(m[1] as string);
}

/** The persisted logical start, or 0 when none was ever written (the local first segment decides). */
export async function readLogStart(io: FileIo, dir: string): Promise<bigint> {
  const path = join(dir, LOG_START_FILE);
  const data = await io.readFileIfExists(path);
  return data ? decodeLogStart(data, path) : 0n;
}

export async function writeLogStart(io: FileIo, dir: string, offset: bigint): Promise<void> {
  await writeDurably(io, join(dir, LOG_START_FILE), encodeLogStart(offset));
}
