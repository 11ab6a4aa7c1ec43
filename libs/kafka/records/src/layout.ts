// Byte layout of a RecordBatch with magic 2 (KIP-98; see Kafka's "Record Batch" protocol docs).
// Every field is big-endian. The CRC is a CRC-32C over everything from `attributes` to the end of
// the batch, so baseOffset, batchLength and partitionLeaderEpoch can be rewritten by the broker
// without touching it (that is why they come first).

export const BASE_OFFSET_OFFSET = 0; // int64
export const BATCH_LENGTH_OFFSET = 8; // int32: bytes after this field
export const PARTITION_LEADER_EPOCH_OFFSET = 12; // int32
export const MAGIC_OFFSET = 16; // int8
export const CRC_OFFSET = 17; // uint32
export const ATTRIBUTES_OFFSET = 21; // int16
export const LAST_OFFSET_DELTA_OFFSET = 23; // int32
export const BASE_TIMESTAMP_OFFSET = 27; // int64
export const MAX_TIMESTAMP_OFFSET = 35; // int64
export const PRODUCER_ID_OFFSET = 43; // int64
export const PRODUCER_EPOCH_OFFSET = 51; // int16
export const BASE_SEQUENCE_OFFSET = 53; // int32
export const RECORD_COUNT_OFFSET = 57; // int32
export const RECORDS_OFFSET = 61;

/** Size of the fixed batch header, i.e. of a batch with no records. */
export const BATCH_HEADER_SIZE = RECORDS_OFFSET;
/** baseOffset + batchLength: the part of the header not counted by batchLength (Kafka's LOG_OVERHEAD). */
export const LOG_OVERHEAD = 12;
/** Smallest legal batchLength value. */
export const MIN_BATCH_LENGTH = BATCH_HEADER_SIZE - LOG_OVERHEAD;

export const CURRENT_MAGIC = 2;

// Attribute bits (int16).
export const COMPRESSION_MASK = 0x07;
export const TIMESTAMP_TYPE_BIT = 0x08;
export const TRANSACTIONAL_BIT = 0x10;
export const CONTROL_BIT = 0x20;
/** KIP-534: the batch carries a delete horizon in baseTimestamp (set by compaction). */
export const DELETE_HORIZON_BIT = 0x40;

/** Sentinels for a batch written without idempotence (KIP-98). */
export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
export const NO_SEQUENCE = -1;
export const NO_PARTITION_LEADER_EPOCH = -1;
