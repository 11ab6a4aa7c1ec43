// "Nothing was deleted before its retention" (issue 9 item 6): between two audit passes, every
// entry that left the manifest must have been expired by the topic's retention.ms / retention.bytes
// (or removed by DeleteRecords/topic deletion, which the service tells the audit about). Judged on
// the union of both snapshots, because retention.bytes may have been triggered by segments added
// after the earlier snapshot; judged with the current time, which can only expire more — so a
// legitimate deletion is never reported, and a segment deleted while still young is.
import { expiredSegments } from '@stratus/tiered-uploader';
import type { AuditRetention, FindingDraft, ManifestEntry } from './types';

export interface VanishedInput {
  readonly previous: readonly ManifestEntry[];
  /** Entries now in the manifest, COMMITTED or DELETING. */
  readonly current: readonly ManifestEntry[];
  readonly retention: AuditRetention;
  readonly nowMs: number;
  /** Offsets below this were trimmed on purpose (DeleteRecords) since the previous pass. */
  readonly trimmedBelow: bigint;
}

export function vanishedBeforeRetention(input: VanishedInput): FindingDraft[] {
  const currentIds = new Set(input.current.map((s) => s.segmentId));
  const vanished = input.previous.filter((s) => !currentIds.has(s.segmentId) && s.endOffset > input.trimmedBelow);
  if (vanished.length === 0) return [];
  const union = new Map<string, ManifestEntry>();
  for (const s of [...input.previous, ...input.current]) union.set(s.segmentId, s);
  const ordered = [...union.values()].sort((a, b) => (a.baseOffset < b.baseOffset ? -1 : a.baseOffset > b.baseOffset ? 1 : 0));
  const expired = new Set(expiredSegments(ordered, input.retention, { now: input.nowMs, hotBytes: 0n }).map((s) => s.segmentId));
  return vanished
    .filter((s) => !expired.has(s.segmentId))
    .map((s) => ({
      kind: 'deleted_before_retention' as const,
      startOffset: s.baseOffset,
      endOffset: s.endOffset,
      segmentId: s.segmentId,
      check: 'retention' as const,
      detail: `segment ${s.segmentId} left the manifest although retention.ms=${input.retention.retentionMs} / retention.bytes=${input.retention.retentionBytes} still keep it (max timestamp ${s.maxTimestampMs})`,
    }));
}
