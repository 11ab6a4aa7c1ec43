// Proof that offsets are continuous from the log start to the high watermark across both tiers
// (issue 9 item 6). The manifest's COMMITTED entries must tile a range without gaps or overlaps
// (metadata refuses overlaps on add, so one here means the manifest was edited behind our back),
// and the hot tier must start no later than where the manifest ends: a range between them is
// acknowledged data held by neither tier. The manifest may extend past the hot start (the hot copy
// is dropped only after the upload is committed, per local.retention.*), but never past the high
// watermark: only committed data may be tiered, since an uncommitted tail can be truncated.
import type { FindingDraft, HotLogState, ManifestEntry } from './types';

export interface ContinuityInput {
  /** COMMITTED entries in base-offset order. */
  readonly segments: readonly ManifestEntry[];
  readonly hot: HotLogState | undefined;
  /**
   * Everything below this offset may legitimately be gone (retention or DeleteRecords moved the log
   * start, as far as this process has seen). Only used when the manifest is empty; undefined when
   * unknown (first pass after a start), which skips the check rather than guess.
   */
  readonly deletedBelow: bigint | undefined;
}

export function checkContinuity(input: ContinuityInput): FindingDraft[] {
  const findings: FindingDraft[] = [];
  const { segments, hot } = input;
  let end: bigint | undefined;
  for (const s of segments) {
    if (end !== undefined && s.baseOffset > end) {
      findings.push({ kind: 'missing', startOffset: end, endOffset: s.baseOffset, detail: `manifest gap: no segment holds offsets [${end}, ${s.baseOffset})`, check: 'continuity' });
    } else if (end !== undefined && s.baseOffset < end) {
      findings.push({ kind: 'manifest_mismatch', startOffset: s.baseOffset, endOffset: end < s.endOffset ? end : s.endOffset, detail: `manifest overlap: segment ${s.segmentId} starts at ${s.baseOffset}, below the previous end ${end}`, segmentId: s.segmentId, check: 'continuity' });
    }
    end = end === undefined || s.endOffset > end ? s.endOffset : end;
  }
  if (!hot) return findings;
  const tieredEnd = end ?? input.deletedBelow;
  if (tieredEnd !== undefined && hot.localLogStartOffset > tieredEnd) {
    findings.push({
      kind: 'missing',
      startOffset: tieredEnd,
      endOffset: hot.localLogStartOffset,
      detail: `offsets [${tieredEnd}, ${hot.localLogStartOffset}) are neither tiered nor on any replica (hot tier starts at ${hot.localLogStartOffset})`,
      check: 'continuity',
    });
  }
  if (end !== undefined && end > hot.committedOffset) {
    findings.push({ kind: 'manifest_mismatch', startOffset: hot.committedOffset, endOffset: end, detail: `manifest ends at ${end}, above the high watermark ${hot.committedOffset}: uncommitted data was tiered`, check: 'continuity' });
  }
  return findings;
}
