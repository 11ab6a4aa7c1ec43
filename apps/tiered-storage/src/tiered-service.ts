// tieredV1.TieredStorageService: Fetch and ListOffsetsByTimestamp served by @stratus/tiered-reader;
// tiering and audit status, Trim/DeletePartition in status-handlers.ts. Any RPC still without a
// handler answers UNIMPLEMENTED naming its owner, so a caller can tell "not built" from "failed".
// Domain failures travel as TieredError in the response (errors.proto); a gRPC status other than
// OK means a bug or a transport fault.
import { status, type sendUnaryData, type ServerUnaryCall, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { tieredV1 } from '@stratus/contracts';
import { unimplemented } from '@stratus/platform-grpc';
import type { Logger } from '@stratus/platform-logging';
import { isObjectStoreError } from '@stratus/tiered-object-store';
import { CorruptChunkError, type TieredFetchRequest, type TieredFetchResult } from '@stratus/tiered-reader';
import { auditStatusResponse, handleDeletePartition, handleTrimPartition, tieringStatusResponse, type AuditPort, type DeletionPort } from './status-handlers';
import type { TieringStatus } from './tiering-status';
import { handleListOffsetsByTimestamp, type TimestampPort } from './list-offsets';

export interface FetchPort {
  fetch(request: TieredFetchRequest): Promise<TieredFetchResult>;
}

export interface TieredServiceOptions {
  /** Undefined while the service cannot read (no metadata address): Fetch answers NOT_READY. */
  readonly reader: (FetchPort & Partial<TimestampPort>) | undefined;
  readonly logger: Logger;
  readonly tiering?: TieringStatus;
  readonly audit?: AuditPort;
  /** Undefined without a metadata address: Trim/DeletePartition answer NOT_READY. */
  readonly deletion?: DeletionPort;
}

/** The TieredError for a store or metadata fault during a status or deletion call; undefined for a bug. */
function faultError(error: unknown): { code: Code; message: string } | undefined {
  if (isObjectStoreError(error)) return { code: tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE, message: (error as Error).message };
  if (isGrpcError(error)) return { code: tieredV1.TieredErrorCode.NOT_READY, message: `segment manifest unavailable: ${error.details || error.message}` };
  return undefined;
}

const TOPIC_ID_BYTES = 16;
const INT32_MAX = 2 ** 31 - 1;

type Code = tieredV1.TieredErrorCode;

function failure(code: Code, message: string, range?: { logStartOffset: bigint; endOffset: bigint }): tieredV1.FetchResponse {
  return tieredV1.FetchResponse.fromPartial({
    error: { code, message },
    tieredLogStartOffset: range?.logStartOffset ?? 0n,
    tieredEndOffset: range?.endOffset ?? 0n,
  });
}

/** The request in domain terms, or why it is malformed. */
export function parseFetchRequest(req: tieredV1.FetchRequest): TieredFetchRequest | string {
  const topicId = req.partition?.topicId?.value;
  if (!topicId || topicId.length !== TOPIC_ID_BYTES) return 'partition.topic_id must be 16 bytes (KIP-516)';
  const partition = req.partition?.partition ?? -1;
  if (!Number.isInteger(partition) || partition < 0) return `partition must be >= 0, got ${partition}`;
  if (req.offset < 0n) return `offset must be >= 0, got ${req.offset}`;
  if (req.maxBytes < 0 || req.maxBytes > INT32_MAX) return `max_bytes must be between 0 and ${INT32_MAX}, got ${req.maxBytes}`;
  if (req.maxOffset < 0n) return `max_offset must be >= 0 (0 = no bound), got ${req.maxOffset}`;
  return { partition: { topicId, partition }, offset: req.offset, maxBytes: req.maxBytes, maxOffset: req.maxOffset };
}

/** Fetch with every expected failure turned into a TieredError; only bugs are thrown. */
export async function handleFetch(reader: FetchPort | undefined, req: tieredV1.FetchRequest, logger: Logger): Promise<tieredV1.FetchResponse> {
  const parsed = parseFetchRequest(req);
  if (typeof parsed === 'string') return failure(tieredV1.TieredErrorCode.INVALID_REQUEST, parsed);
  if (!reader) return failure(tieredV1.TieredErrorCode.NOT_READY, 'tiered-storage has no metadata address configured (STRATUS_METADATA_ADDRESS), so it cannot locate segments');
  let result: TieredFetchResult;
  try {
    result = await reader.fetch(parsed);
  } catch (error) {
    if (error instanceof CorruptChunkError) {
      logger.error({ err: error }, 'tiered chunk failed its CRC32C check; not served');
      return failure(tieredV1.TieredErrorCode.CORRUPT, error.message);
    }
    if (isObjectStoreError(error)) return failure(tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE, (error as Error).message);
    if (isGrpcError(error)) {
      // The manifest comes from metadata; while it is unreachable, the broker retries elsewhere.
      return failure(tieredV1.TieredErrorCode.NOT_READY, `segment manifest unavailable: ${error.details || error.message}`);
    }
    throw error;
  }
  if (!result.ok) {
    // An empty manifest: nothing of this partition was ever tiered (or it was all deleted).
    const empty = result.logStartOffset === 0n && result.endOffset === 0n;
    return failure(empty ? tieredV1.TieredErrorCode.UNKNOWN_PARTITION : tieredV1.TieredErrorCode.OFFSET_OUT_OF_RANGE, empty ? 'no tiered data for this partition' : result.message, result);
  }
  return tieredV1.FetchResponse.fromPartial({
    records: result.records,
    nextOffset: result.nextOffset,
    tieredLogStartOffset: result.logStartOffset,
    tieredEndOffset: result.endOffset,
  });
}

function isGrpcError(error: unknown): error is Error & { code: number; details?: string } {
  return error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'metadata' in error;
}

export function createTieredService(options: TieredServiceOptions): UntypedServiceImplementation {
  const base = unimplemented(tieredV1.TieredStorageServiceService, { owner: 'issue 9 (tiered storage): the tiered libraries do not serve this RPC yet' });
  const fetch = (call: ServerUnaryCall<tieredV1.FetchRequest, tieredV1.FetchResponse>, callback: sendUnaryData<tieredV1.FetchResponse>) => {
    handleFetch(options.reader, call.request, options.logger).then(
      (response) => callback(null, response),
      (error: unknown) => {
        options.logger.error({ err: error }, 'tiered Fetch failed');
        callback({ code: status.INTERNAL, details: `tiered Fetch failed: ${(error as Error).message}` });
      },
    );
  };
  const listOffsetsByTimestamp = (
    call: ServerUnaryCall<tieredV1.ListOffsetsByTimestampRequest, tieredV1.ListOffsetsByTimestampResponse>,
    callback: sendUnaryData<tieredV1.ListOffsetsByTimestampResponse>,
  ) => {
    const reader = options.reader;
    const port = reader?.offsetForTimestamp ? { offsetForTimestamp: reader.offsetForTimestamp.bind(reader) } : undefined;
    handleListOffsetsByTimestamp(port, call.request, options.logger).then(
      (response) => callback(null, response),
      (error: unknown) => {
        options.logger.error({ err: error }, 'tiered ListOffsetsByTimestamp failed');
        callback({ code: status.INTERNAL, details: `tiered ListOffsetsByTimestamp failed: ${(error as Error).message}` });
      },
    );
  };
  // Unary handler for a domain function: expected faults become TieredError answers via `onFault`.
  const serve =
    <Req, Res>(name: string, run: (req: Req) => Promise<Res>, onFault: (error: { code: Code; message: string }) => Res) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => {
      run(call.request).then(
        (response) => callback(null, response),
        (error: unknown) => {
          const fault = faultError(error);
          if (fault) return callback(null, onFault(fault));
          options.logger.error({ err: error }, `tiered ${name} failed`);
          callback({ code: status.INTERNAL, details: `tiered ${name} failed: ${(error as Error).message}` });
        },
      );
    };
  return {
    ...base,
    fetch,
    listOffsetsByTimestamp,
    getTieringStatus: serve('GetTieringStatus', async (req: tieredV1.GetTieringStatusRequest) => tieringStatusResponse(options.tiering, req), () => ({ partitions: [] })),
    getAuditStatus: serve('GetAuditStatus', async (req: tieredV1.GetAuditStatusRequest) => auditStatusResponse(options.audit, req), () => auditStatusResponse(undefined, tieredV1.GetAuditStatusRequest.fromPartial({}))),
    deletePartition: serve('DeletePartition', (req: tieredV1.DeletePartitionRequest) => handleDeletePartition(options.deletion, req), (error) => ({ error, segmentsDeleted: 0, bytesDeleted: 0n })),
    trimPartition: serve('TrimPartition', (req: tieredV1.TrimPartitionRequest) => handleTrimPartition(options.deletion, req), (error) => ({ error, tieredLogStartOffset: 0n, segmentsDeleted: 0 })),
  };
}
