// The per-partition leader epoch history: ordered (epoch, startOffset) pairs, the first offset
// written or marked under each epoch (Kafka's leader-epoch-checkpoint, KIP-101/KIP-279). Stored
// as a small text file replaced atomically.
import { leaderEpoch, type EpochEntry, type LeaderEpoch } from './types';

const FORMAT_VERSION = 0;

export class EpochHistory {
  private list: EpochEntry[];

  constructor(entries: readonly EpochEntry[] = []) {
    for (let i = 1; i < entries.length; i++) {
      const prev = entries[i - 1] as EpochEntry;
      const cur = entries[i] as EpochEntry;
      if (cur.epoch <= prev.epoch || cur.startOffset <= prev.startOffset) {
        throw new Error(`epoch history out of order at entry ${i}: (${prev.epoch}, ${prev.startOffset}) then (${cur.epoch}, ${cur.startOffset})`);
      }
    }
    this.list = [...entries];
  }

  get entries(): readonly EpochEntry[] {
    return this.list;
  }

  get latest(): EpochEntry | undefined {
    return this.list[this.list.length - 1];
  }

  /** The history after recording that `epoch` starts at `startOffset` (unchanged if it is already the latest). */
  withAssigned(epoch: LeaderEpoch, startOffset: bigint): EpochHistory {
    const latest = this.latest;
    if (latest && latest.epoch === epoch) return this;
    if (latest && (epoch < latest.epoch || startOffset < latest.startOffset)) {
      throw new Error(`cannot assign (${epoch}, ${startOffset}) after (${latest.epoch}, ${latest.startOffset})`);
    }
    // As Kafka's cache does: an older epoch that starts at the same offset covers no record and
    // is superseded, so the history never holds two epochs with one start offset.
    return new EpochHistory([...this.list.filter((e) => e.startOffset < startOffset), { epoch, startOffset }]);
  }

  /** Drops every epoch that starts at or after `offset` (the log is being truncated to `offset`). */
  withTruncatedEnd(offset: bigint): EpochHistory {
    return new EpochHistory(this.list.filter((e) => e.startOffset < offset));
  }

  /** Keeps only what still describes offsets >= logStart; the epoch covering logStart now starts there. */
  withTruncatedStart(logStart: bigint): EpochHistory {
    let firstKept = 0;
    for (let i = 0; i < this.list.length; i++) if ((this.list[i] as EpochEntry).startOffset <= logStart) firstKept = i;
    const kept = this.list.slice(firstKept).map((e) => (e.startOffset < logStart ? { epoch: e.epoch, startOffset: logStart } : e));
    return new EpochHistory(kept);
  }

  /**
   * Kafka's OffsetForLeaderEpoch: for `epoch`, the largest known epoch <= it and where that epoch
   * ends in this log (the start of the next epoch, or logEnd). Undefined when no such epoch exists.
   */
  endOffsetFor(epoch: LeaderEpoch, logEnd: bigint): { epoch: LeaderEpoch; endOffset: bigint } | undefined {
    for (let i = this.list.length - 1; i >= 0; i--) {
      const e = this.list[i] as EpochEntry;
      if (e.epoch <= epoch) {
        const next = this.list[i + 1];
        return { epoch: e.epoch, endOffset: next ? next.startOffset : logEnd };
      }
    }
    return undefined;
  }

  encode(): Buffer {
    const lines = [String(FORMAT_VERSION), String(this.list.length), ...this.list.map((e) => `${e.epoch} ${e.startOffset}`)];
    return Buffer.from(lines.join('\n') + '\n', 'utf8');
  }

  static decode(data: Buffer, source: string): EpochHistory {
    const lines = data.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (lines[0] !== String(FORMAT_VERSION)) throw new Error(`${source}: unsupported epoch history version "${lines[0]}"`);
    const count = Number(lines[1]);
    if (!Number.isInteger(count) || count < 0 || lines.length !== count + 2) throw new Error(`${source}: epoch history count does not match its entries`);
    const entries = lines.slice(2).map((line, i) => {
      const m = /^(\d+) (\d+)$/.exec(line);
      if (!m) throw new Error(`${source}: malformed epoch history entry ${i}: "${line}"`);
      return { epoch: leaderEpoch(Number(m[1])), startOffset: BigInt(m[2] as string) };
    });
    return new EpochHistory(entries);
  }
}

export function encodePromisedEpoch(epoch: LeaderEpoch): Buffer {
  return Buffer.from(`${FORMAT_VERSION}\n${epoch}\n`, 'utf8');
}

export function decodePromisedEpoch(data: Buffer, source: string): LeaderEpoch {
  const m = /^0\n(\d+)\n$/.exec(data.toString('utf8'));
  if (!m) throw new Error(`${source}: malformed promised epoch file`);
  return leaderEpoch(Number(m[1]));
}
