// One audit of one partition: continuity across tiers, deletions against retention, then every
// COMMITTED object re-read at the bounded rate; a missing or corrupt object is repaired from a
// replica holding the same segment, else reported as data loss. Returns what it found and the
// manifest snapshot the next pass compares against.
import { metadataV1 } from '@stratus/contracts';
import type { ObjectStore } from '@stratus/tiered-object-store';
import type { SegmentManifest } from '@stratus/tiered-uploader';
import { checkContinuity } from './continuity';
import type { ByteRateLimiter } from './rate-limiter';
import { repairFromReplica, type RepairOutcome } from './repair';
import { vanishedBeforeRetention } from './retention-check';
import type { AuditTarget, FindingDraft, HotLogState, ManifestEntry } from './types';
import { verifyObject } from './verify-object';

/** What the auditor remembers of a partition between passes. */
export interface PartitionAuditState {
  /** Entries (COMMITTED and DELETING) at the end of the previous pass; undefined before the first. */
  readonly previous: readonly ManifestEntry[] | undefined;
  /** Everything below may be gone on purpose (see checkContinuity); undefined when unknown. */
  readonly deletedBelow: bigint | undefined;
  /** Offsets below were trimmed by DeleteRecords since the previous pass. */
  readonly trimmedBelow: bigint;
}

export const INITIAL_STATE: PartitionAuditState = { previous: undefined, deletedBelow: undefined, trimmedBelow: -1n };

export interface ObjectCheck {
  readonly draft: FindingDraft;
  /** Undefined when the object was fine. */
  readonly repair: RepairOutcome | undefined;
}

export interface PartitionAuditResult {
  readonly continuity: readonly FindingDraft[];
  readonly retention: readonly FindingDraft[];
  /** One per object checked that was not fine (repaired or not). */
  readonly objects: readonly ObjectCheck[];
  /** Segment ids whose objects verified fine. */
  readonly verifiedOk: readonly ManifestEntry[];
  readonly bytesVerified: number;
  readonly hot: HotLogState | undefined;
  readonly next: PartitionAuditState;
}

export interface PartitionAuditOptions {
  readonly target: AuditTarget;
  readonly manifest: SegmentManifest;
  readonly store: ObjectStore;
  /** Undefined disables re-reading objects (continuity and retention checks still run). */
  readonly limiter: ByteRateLimiter | undefined;
  readonly state: PartitionAuditState;
  readonly nowMs: () => number;
  readonly readBytes?: number;
  readonly signal?: AbortSignal;
}

const isCommitted = (s: ManifestEntry) => s.state === metadataV1.SegmentState.COMMITTED;

export async function auditPartition(options: PartitionAuditOptions): Promise<PartitionAuditResult> {
  const { target, manifest, store, state } = options;
  const all = (await manifest.list(target.address, { includeDeleting: true })).segments;
  const committed = all.filter(isCommitted);
  let hot: HotLogState | undefined;
  try {
    hot = await target.hotState();
  } catch {
    // No replica answered: the hot-side checks wait for the next pass.
    hot = undefined;
  }
  const continuity = checkContinuity({ segments: committed, hot, deletedBelow: committed.length > 0 ? undefined : state.deletedBelow });
  const retention = state.previous ? vanishedBeforeRetention({ previous: state.previous, current: all, retention: target.retention, nowMs: options.nowMs(), trimmedBelow: state.trimmedBelow }) : [];

  const objects: ObjectCheck[] = [];
  const verifiedOk: ManifestEntry[] = [];
  let bytesVerified = 0;
  if (options.limiter) {
    for (const entry of committed) {
      if (options.signal?.aborted) break;
      const outcome = await verifyObject({ store, entry, limiter: options.limiter, readBytes: options.readBytes, signal: options.signal });
      bytesVerified += outcome.bytesRead;
      if (outcome.ok) {
        verifiedOk.push(entry);
        continue;
      }
      // Retention or topic deletion may have removed it since the list: not a finding then.
      const still = (await manifest.list(target.address, { fromOffset: entry.baseOffset })).segments.some((s) => s.segmentId === entry.segmentId);
      if (!still) continue;
      const draft: FindingDraft = {
        // errors.proto: MANIFEST_MISMATCH is "a manifest entry has no object".
        kind: outcome.problem === 'missing' ? 'manifest_mismatch' : 'checksum_mismatch',
        startOffset: entry.baseOffset,
        endOffset: entry.endOffset,
        detail: outcome.detail,
        segmentId: entry.segmentId,
        check: 'object',
      };
      objects.push({ draft, repair: await repairFromReplica({ address: target.address, entry, sources: target.sources, store }) });
    }
  }
  const previousEnd = (state.previous ?? []).reduce<bigint | undefined>((max, s) => (max === undefined || s.endOffset > max ? s.endOffset : max), undefined);
  const known = [state.deletedBelow, previousEnd].filter((v): v is bigint => v !== undefined);
  const next: PartitionAuditState = {
    previous: all,
    deletedBelow: known.length > 0 ? known.reduce((a, b) => (a > b ? a : b)) : committed.length > 0 ? 0n : state.deletedBelow,
    trimmedBelow: -1n,
  };
  return { continuity, retention, objects, verifiedOk, bytesVerified, hot, next };
}
