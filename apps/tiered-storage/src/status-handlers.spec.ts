import { tieredV1 } from '@stratus/contracts';
import type { AuditStatus } from '@stratus/tiered-audit';
import { auditStatusResponse, handleDeletePartition, handleTrimPartition, tieringStatusResponse, type DeletionPort } from './status-handlers';
import type { PartitionTarget } from './targets';
import { TieringStatus } from './tiering-status';

const TOPIC = Buffer.alloc(16, 0x11);
const target = (tenantId: string, partition: number): PartitionTarget => ({ key: `${TOPIC.toString('hex')}/${partition}`, address: { tenantId, topicId: TOPIC, partition }, replicas: [], retention: { retentionMs: -1, retentionBytes: -1 } });
const ref = { topicId: { value: TOPIC }, partition: 1 };

describe('status and deletion handlers', () => {
  it('GetTieringStatus answers lag per partition, filtered by partition and tenant', () => {
    const status = new TieringStatus({ now: () => 5_000 });
    status.updateLag(target('a', 1), { tieredEndOffset: 10n, sealedCommittedEndOffset: 30n, lagSegments: 2, lagBytes: 4096n, pendingBaseOffsets: [10n, 20n] });
    status.passEnded(target('a', 1), { uploaded: 0, error: 'S3 down' });
    status.updateLag(target('b', 2), { tieredEndOffset: 5n, sealedCommittedEndOffset: 5n, lagSegments: 0, lagBytes: 0n, pendingBaseOffsets: [] });
    const all = tieringStatusResponse(status, tieredV1.GetTieringStatusRequest.fromPartial({}));
    expect(all.partitions).toHaveLength(2);
    const one = tieringStatusResponse(status, tieredV1.GetTieringStatusRequest.fromPartial({ partitions: [ref] }));
    expect(one.partitions).toEqual([
      expect.objectContaining({ tieredEndOffset: 10n, hotCommittedOffset: 30n, lagBytes: 4096n, lagSegments: 2, lastUploadError: 'S3 down', oldestPendingMs: 0n }),
    ]);
    expect(tieringStatusResponse(status, tieredV1.GetTieringStatusRequest.fromPartial({ tenantId: { value: 'b' } })).partitions.map((p) => p.partition?.partition)).toEqual([2]);
  });

  it('GetAuditStatus maps findings and marks data loss', () => {
    const s: AuditStatus = {
      lastPassStartMs: 1,
      lastPassEndMs: 2,
      bytesVerified: 300,
      partitionsVerified: 4,
      findings: [{ partition: target('a', 1).address, partitionKey: 'k', kind: 'checksum_mismatch', startOffset: 0n, endOffset: 12n, detail: 'crc differs', check: 'object', detectedAtMs: 7, repairedAtMs: undefined, unrecoverable: true }],
    };
    const res = auditStatusResponse({ status: () => s }, tieredV1.GetAuditStatusRequest.fromPartial({}));
    expect(res).toMatchObject({ lastPassEndTimeMs: 2n, bytesVerified: 300n, partitionsVerified: 4n });
    expect(res.findings[0]).toMatchObject({ kind: tieredV1.AuditFindingKind.CHECKSUM_MISMATCH, endOffset: 12n, detectedTimeMs: 7n, repairedTimeMs: 0n, detail: expect.stringContaining('DATA LOSS') });
  });

  it('DeletePartition and TrimPartition check their requests and call the deletion port', async () => {
    const calls: string[] = [];
    const port: DeletionPort = {
      deletePartition: async (a) => (calls.push(`delete ${a.tenantId}/${a.partition}`), { segmentsDeleted: 3, bytesDeleted: 999n }),
      trimPartition: async (a, off) => (calls.push(`trim ${a.partition}@${off}`), { segmentsDeleted: 1, bytesDeleted: 5n, tieredLogStartOffset: 40n }),
    };
    expect(await handleDeletePartition(port, tieredV1.DeletePartitionRequest.fromPartial({ partition: ref, tenantId: { value: 't1' } }))).toEqual({ error: undefined, segmentsDeleted: 3, bytesDeleted: 999n });
    expect((await handleDeletePartition(port, tieredV1.DeletePartitionRequest.fromPartial({ partition: ref }))).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    expect((await handleDeletePartition(port, tieredV1.DeletePartitionRequest.fromPartial({ partition: { topicId: { value: Buffer.alloc(3) } }, tenantId: { value: 't1' } }))).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    expect((await handleDeletePartition(undefined, tieredV1.DeletePartitionRequest.fromPartial({ partition: ref, tenantId: { value: 't1' } }))).error?.code).toBe(tieredV1.TieredErrorCode.NOT_READY);
    expect(await handleTrimPartition(port, tieredV1.TrimPartitionRequest.fromPartial({ partition: ref, logStartOffset: 42n }))).toEqual({ error: undefined, tieredLogStartOffset: 40n, segmentsDeleted: 1 });
    expect((await handleTrimPartition(port, tieredV1.TrimPartitionRequest.fromPartial({ partition: ref, logStartOffset: -1n }))).error?.code).toBe(tieredV1.TieredErrorCode.INVALID_REQUEST);
    expect(calls).toEqual(['delete t1/1', 'trim 1@42']);
  });
});
