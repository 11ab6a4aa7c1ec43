export * as batchLayout from './layout';
export {
  Compression,
  compressionName,
  isCompressionId,
  type CompressionId,
  type CompressionName,
  type TimestampType,
} from './compression-type';
export {
  batchError,
  RecordBatchException,
  type BatchResult,
  type RecordBatchError,
  type RecordBatchErrorKind,
} from './batch-error';
export { computeBatchCrc, writeBatchCrc } from './crc';
export { BatchHeaderView, peekBatchHeader, type BatchHeaderFields } from './header';
export { validateBatch, type ValidateBatchOptions } from './validate';
export { splitBatches, type PartialBatch, type SplitBatches } from './split';
export { assignOffsets, type AssignOffsetsOptions, type AssignedOffsets } from './offsets';
export {
  loadCodecs,
  codecsLoaded,
  compressRecords,
  decompressRecords,
  DEFAULT_MAX_DECOMPRESSED_BYTES,
  type DecompressOptions,
} from './codecs';
export { iterateRecords, readRecords, type KafkaRecord, type RecordHeader, type IterateRecordsOptions } from './records';
export { buildBatch, type BuildBatchOptions, type BuildRecord } from './build';
export {
  ControlType,
  parseControlRecord,
  buildEndTxnMarker,
  type ControlRecord,
  type ControlTypeName,
  type EndTxnMarkerOptions,
} from './control';
