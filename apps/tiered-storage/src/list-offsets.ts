// tieredV1 ListOffsetsByTimestamp: the first tiered record at or after a timestamp, or found=false
// so the broker continues in the hot tier. Expected failures are TieredError values, like Fetch.
import { tieredV1 } from '@stratus/contracts';
import type { Logger } from '@stratus/platform-logging';
import { isObjectStoreError } from '@stratus/tiered-object-store';
import { CorruptChunkError, type PartitionKey, type TimestampLookupResult } from '@stratus/tiered-reader';

export interface TimestampPort {
  offsetForTimestamp(partition: PartitionKey, timestampMs: bigint): Promise<TimestampLookupResult>;
}

const failure = (code: tieredV1.TieredErrorCode, message: string): tieredV1.ListOffsetsByTimestampResponse =>
  tieredV1.ListOffsetsByTimestampResponse.fromPartial({ error: { code, message }, found: false, offset: -1n, timestampMs: -1n, leaderEpoch: -1 });

export async function handleListOffsetsByTimestamp(port: TimestampPort | undefined, req: tieredV1.ListOffsetsByTimestampRequest, logger: Logger): Promise<tieredV1.ListOffsetsByTimestampResponse> {
  const topicId = req.partition?.topicId?.value;
  const partition = req.partition?.partition ?? -1;
  if (!topicId || topicId.length !== 16) return failure(tieredV1.TieredErrorCode.INVALID_REQUEST, 'partition.topic_id must be 16 bytes (KIP-516)');
  if (!Number.isInteger(partition) || partition < 0) return failure(tieredV1.TieredErrorCode.INVALID_REQUEST, `partition must be >= 0, got ${partition}`);
  // Special timestamps (-1 latest, -2 earliest, -3 max) are the broker's to resolve from the manifest range.
  if (req.timestampMs < 0n) return failure(tieredV1.TieredErrorCode.INVALID_REQUEST, `timestamp_ms must be >= 0, got ${req.timestampMs}`);
  if (!port) return failure(tieredV1.TieredErrorCode.NOT_READY, 'tiered-storage has no metadata address configured (STRATUS_METADATA_ADDRESS), so it cannot locate segments');
  try {
    const found = await port.offsetForTimestamp({ topicId, partition }, req.timestampMs);
    return found.found
      ? tieredV1.ListOffsetsByTimestampResponse.fromPartial({ found: true, offset: found.offset, timestampMs: found.timestampMs, leaderEpoch: found.leaderEpoch })
      : tieredV1.ListOffsetsByTimestampResponse.fromPartial({ found: false, offset: -1n, timestampMs: -1n, leaderEpoch: -1 });
  } catch (error) {
    if (error instanceof CorruptChunkError) {
      logger.error({ err: error }, 'tiered chunk failed its CRC32C check during a timestamp lookup');
      return failure(tieredV1.TieredErrorCode.CORRUPT, error.message);
    }
    if (isObjectStoreError(error)) return failure(tieredV1.TieredErrorCode.OBJECT_STORE_UNAVAILABLE, (error as Error).message);
    if (error instanceof Error && typeof (error as { code?: unknown }).code === 'number' && 'metadata' in error) {
      return failure(tieredV1.TieredErrorCode.NOT_READY, `segment manifest unavailable: ${error.message}`);
    }
    throw error;
  }
}
