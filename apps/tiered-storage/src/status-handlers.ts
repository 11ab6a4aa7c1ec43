// tieredV1 GetTieringStatus, GetAuditStatus, DeletePartition and TrimPartition: request checks and
// mapping between the domain objects (tiering status, audit, deletion) and the wire messages.
// Domain failures are TieredError values; only bugs escape as exceptions.
import { tieredV1 } from '@stratus/contracts';
import type { AuditStatus, Finding, FindingKind } from '@stratus/tiered-audit';
import type { DeletedSegments, SegmentAddress } from '@stratus/tiered-uploader';
import type { TieringStatus } from './tiering-status';

const TOPIC_ID_BYTES = 16;

export interface AuditPort {
  status(options: { tenantId?: string; includeRepaired?: boolean }): AuditStatus;
}

export interface DeletionPort {
  deletePartition(address: SegmentAddress): Promise<DeletedSegments>;
  trimPartition(address: SegmentAddress, logStartOffset: bigint): Promise<DeletedSegments & { tieredLogStartOffset: bigint | undefined }>;
}

const hex = (id: Uint8Array) => Buffer.from(id).toString('hex');

export function tieringStatusResponse(status: TieringStatus | undefined, req: tieredV1.GetTieringStatusRequest): tieredV1.GetTieringStatusResponse {
  const wanted = new Set(req.partitions.map((p) => `${hex(p.topicId?.value ?? new Uint8Array(0))}/${p.partition}`));
  const tenant = req.tenantId?.value ?? '';
  const partitions = (status?.list() ?? [])
    .filter((p) => (wanted.size === 0 || wanted.has(p.target.key)) && (tenant === '' || p.target.address.tenantId === tenant))
    .map((p) =>
      tieredV1.PartitionTieringStatus.fromPartial({
        partition: { topicId: { value: Buffer.from(p.target.address.topicId) }, partition: p.target.address.partition },
        tieredEndOffset: p.lag?.tieredEndOffset ?? 0n,
        hotCommittedOffset: p.lag?.sealedCommittedEndOffset ?? 0n,
        lagBytes: p.lag?.lagBytes ?? 0n,
        lagSegments: p.lag?.lagSegments ?? 0,
        oldestPendingMs: BigInt(status?.oldestPendingMs(p) ?? 0),
        lastUploadError: p.lastUploadError,
        lastUploadTimeMs: BigInt(p.lastUploadTimeMs),
      }),
    );
  return { partitions };
}

const KIND: Record<FindingKind, tieredV1.AuditFindingKind> = {
  missing: tieredV1.AuditFindingKind.MISSING,
  checksum_mismatch: tieredV1.AuditFindingKind.CHECKSUM_MISMATCH,
  deleted_before_retention: tieredV1.AuditFindingKind.DELETED_BEFORE_RETENTION,
  manifest_mismatch: tieredV1.AuditFindingKind.MANIFEST_MISMATCH,
};

function findingToProto(f: Finding): tieredV1.AuditFinding {
  return tieredV1.AuditFinding.fromPartial({
    partition: { topicId: { value: Buffer.from(f.partition.topicId) }, partition: f.partition.partition },
    kind: KIND[f.kind],
    startOffset: f.startOffset,
    endOffset: f.endOffset,
    detectedTimeMs: BigInt(f.detectedAtMs),
    repairedTimeMs: BigInt(f.repairedAtMs ?? 0),
    detail: f.unrecoverable ? `DATA LOSS (no replica holds it): ${f.detail}` : f.detail,
  });
}

export function auditStatusResponse(audit: AuditPort | undefined, req: tieredV1.GetAuditStatusRequest): tieredV1.GetAuditStatusResponse {
  const s = audit?.status({ tenantId: req.tenantId?.value || undefined, includeRepaired: req.includeRepaired });
  return {
    lastPassStartTimeMs: BigInt(s?.lastPassStartMs ?? 0),
    lastPassEndTimeMs: BigInt(s?.lastPassEndMs ?? 0),
    bytesVerified: BigInt(s?.bytesVerified ?? 0),
    partitionsVerified: BigInt(s?.partitionsVerified ?? 0),
    findings: (s?.findings ?? []).map(findingToProto),
  };
}

const invalid = (message: string) => ({ code: tieredV1.TieredErrorCode.INVALID_REQUEST, message });

function partitionOf(ref: { topicId?: { value: Uint8Array }; partition: number } | undefined): { topicId: Uint8Array; partition: number } | string {
  const topicId = ref?.topicId?.value;
  if (!topicId || topicId.length !== TOPIC_ID_BYTES) return 'partition.topic_id must be 16 bytes (KIP-516)';
  const partition = ref?.partition ?? -1;
  if (!Number.isInteger(partition) || partition < 0) return `partition must be >= 0, got ${partition}`;
  return { topicId, partition };
}

export async function handleDeletePartition(port: DeletionPort | undefined, req: tieredV1.DeletePartitionRequest): Promise<tieredV1.DeletePartitionResponse> {
  const p = partitionOf(req.partition);
  if (typeof p === 'string') return { error: invalid(p), segmentsDeleted: 0, bytesDeleted: 0n };
  const tenantId = req.tenantId?.value ?? '';
  if (tenantId === '' || tenantId.includes('/')) return { error: invalid('tenant_id is required (objects live under the tenant)'), segmentsDeleted: 0, bytesDeleted: 0n };
  if (!port) return { error: { code: tieredV1.TieredErrorCode.NOT_READY, message: 'tiered-storage has no metadata address configured' }, segmentsDeleted: 0, bytesDeleted: 0n };
  const deleted = await port.deletePartition({ tenantId, ...p });
  return { error: undefined, segmentsDeleted: deleted.segmentsDeleted, bytesDeleted: deleted.bytesDeleted };
}

export async function handleTrimPartition(port: DeletionPort | undefined, req: tieredV1.TrimPartitionRequest): Promise<tieredV1.TrimPartitionResponse> {
  const p = partitionOf(req.partition);
  if (typeof p === 'string') return { error: invalid(p), tieredLogStartOffset: 0n, segmentsDeleted: 0 };
  if (req.logStartOffset < 0n) return { error: invalid(`log_start_offset must be >= 0, got ${req.logStartOffset}`), tieredLogStartOffset: 0n, segmentsDeleted: 0 };
  if (!port) return { error: { code: tieredV1.TieredErrorCode.NOT_READY, message: 'tiered-storage has no metadata address configured' }, tieredLogStartOffset: 0n, segmentsDeleted: 0 };
  // Trimming follows the manifest's object keys, so the tenant is not needed here.
  const result = await port.trimPartition({ tenantId: '', ...p }, req.logStartOffset);
  return { error: undefined, tieredLogStartOffset: result.tieredLogStartOffset ?? req.logStartOffset, segmentsDeleted: result.segmentsDeleted };
}
