// The audit's vocabulary: what it inspects (a partition's manifest and hot log), what it reports
// (findings, mirroring tieredV1.AuditFindingKind) and the ports it reads through.
import type { metadataV1 } from '@stratus/contracts';
import type { SegmentAddress, SegmentSource } from '@stratus/tiered-uploader';

export type FindingKind =
  /** An offset range below the high watermark is in no tier. */
  | 'missing'
  /** An object's bytes do not match the manifest's size or CRC32C. */
  | 'checksum_mismatch'
  /** A segment left the manifest while retention still required it. */
  | 'deleted_before_retention'
  /** The manifest contradicts itself or the store: overlapping entries, an entry without its object, entries above the high watermark. */
  | 'manifest_mismatch';

export interface FindingDraft {
  readonly kind: FindingKind;
  /** [startOffset, endOffset) affected. */
  readonly startOffset: bigint;
  readonly endOffset: bigint;
  readonly detail: string;
  /** The manifest entry concerned, when one is. */
  readonly segmentId?: string;
  /** Which check found it: continuity findings close when a later pass no longer sees them. */
  readonly check: 'continuity' | 'object' | 'retention';
}

export interface Finding extends FindingDraft {
  readonly partition: SegmentAddress;
  /** `${tenant}/${topicHex}/${partition}`. */
  readonly partitionKey: string;
  readonly detectedAtMs: number;
  /** Undefined while unrepaired. */
  readonly repairedAtMs: number | undefined;
  /** Data loss: no tier and no replica holds the bytes any more. */
  readonly unrecoverable: boolean;
}

/** The hot tier as the replicas report it (replication GetLogState), merged over the replicas that answered. */
export interface HotLogState {
  /** Lowest first offset any replica still stores (local log start). */
  readonly localLogStartOffset: bigint;
  /** Highest committed offset (high watermark) any replica reports. */
  readonly committedOffset: bigint;
}

export interface AuditRetention {
  readonly retentionMs: number;
  readonly retentionBytes: number;
}

/** One partition to audit, as the service's targets describe it. */
export interface AuditTarget {
  readonly key: string;
  readonly address: SegmentAddress;
  readonly retention: AuditRetention;
  /** Replicas to repair from, most preferred first. */
  readonly sources: readonly SegmentSource[];
  /** Undefined when no replica answered: the hot-side checks are skipped for this pass. */
  hotState(): Promise<HotLogState | undefined>;
}

export type ManifestEntry = metadataV1.SegmentManifestEntry;
