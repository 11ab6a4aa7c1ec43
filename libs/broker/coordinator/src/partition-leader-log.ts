// OffsetsLog over the broker's PartitionLeader of an offsets-topic partition: appends are
// produced with acks=-1 (min.insync.replicas must hold a group change before it is acknowledged,
// as Kafka's coordinator writes with acks=all) and reads are leader fetches below the high watermark.
import type { PartitionLeader } from '@stratus/broker-partition';
import type { LogOutcome, OffsetsLog, OffsetsLogRead } from './offsets-log';

export class PartitionLeaderOffsetsLog implements OffsetsLog {
  constructor(private readonly leader: PartitionLeader) {}

  async append(records: Buffer): Promise<LogOutcome<{ readonly baseOffset: bigint }>> {
    const r = await this.leader.produce({ records, acks: -1 });
    if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
    return { ok: true, value: { baseOffset: r.value.baseOffset } };
  }

  async read(from: bigint, maxBytes: number): Promise<LogOutcome<OffsetsLogRead>> {
    const r = await this.leader.fetch({ offset: from, maxBytes });
    if (!r.ok) return { ok: false, error: { code: r.error.code, message: r.error.message } };
    return { ok: true, value: { records: r.value.records, nextOffset: r.value.nextOffset, highWatermark: r.value.highWatermark } };
  }

  startOffset(): bigint {
    return this.leader.snapshot().logStart;
  }

  highWatermark(): bigint {
    return this.leader.snapshot().highWatermark;
  }
}
