import { crc32c } from '@node-rs/crc32';
import { ATTRIBUTES_OFFSET, CRC_OFFSET } from './layout';

/** CRC-32C of a whole batch as Kafka defines it: from the attributes field to the end. */
export function computeBatchCrc(batch: Buffer): number {
  // Hardware CRC-32C (SSE4.2 / ARMv8 CRC) from native code: the per-byte cost of validation on the
  // produce path is this call, so it must not be a JavaScript table loop.
  return crc32c(batch.subarray(ATTRIBUTES_OFFSET)) >>> 0;
}

/** Recomputes and stores the CRC after header fields inside the CRC range changed. */
export function writeBatchCrc(batch: Buffer): number {
  const crc = computeBatchCrc(batch);
  batch.writeUInt32BE(crc, CRC_OFFSET);
  return crc;
}
