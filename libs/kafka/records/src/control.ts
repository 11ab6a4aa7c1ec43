import { batchError, fail, ok, type BatchResult } from './batch-error';
import { buildBatch } from './build';
import type { KafkaRecord } from './records';

// Control records (KIP-98): the only record in a control batch. Key = version int16 + type int16.
// For transaction markers the value is version int16 + coordinator epoch int32.

/** Control record types Kafka defines (ABORT/COMMIT from KIP-98; the rest are KRaft's, KIP-595/853). */
export const ControlType = Object.freeze({
  abort: 0,
  commit: 1,
  leaderChange: 2,
  snapshotHeader: 3,
  snapshotFooter: 4,
  kraftVersion: 5,
  kraftVoters: 6,
} as const);

export type ControlTypeName = keyof typeof ControlType;

export type ControlRecord =
  | { readonly type: 'abort' | 'commit'; readonly coordinatorEpoch: number }
  | { readonly type: Exclude<ControlTypeName, 'abort' | 'commit'> }
  | { readonly type: 'unknown'; readonly typeId: number };

const typeNames = Object.fromEntries(Object.entries(ControlType).map(([name, id]) => [id, name])) as Record<
  number,
  ControlTypeName
>;

/** Reads the key (and, for transaction markers, the value) of a record from a control batch. */
export function parseControlRecord(record: Pick<KafkaRecord, 'key' | 'value'>): BatchResult<ControlRecord> {
  const { key, value } = record;
  if (key === null || key.length < 4) return fail(batchError('corrupt_record', 'control record key shorter than 4 bytes'));
  const typeId = key.readInt16BE(2);
  const type = typeNames[typeId];
  if (type === undefined) return ok({ type: 'unknown', typeId });
  if (type !== 'abort' && type !== 'commit') return ok({ type });
  if (value === null || value.length < 6) {
    return fail(batchError('corrupt_record', 'transaction marker value shorter than 6 bytes'));
  }
  return ok({ type, coordinatorEpoch: value.readInt32BE(2) });
}

export interface EndTxnMarkerOptions {
  readonly producerId: bigint;
  readonly producerEpoch: number;
  readonly commit: boolean;
  readonly coordinatorEpoch: number;
  readonly timestamp: bigint;
  readonly partitionLeaderEpoch?: number;
}

/**
 * The control batch a transaction coordinator writes to each partition at the end of a transaction
 * (WriteTxnMarkers): transactional + control attributes, one record, no sequence (-1).
 */
export function buildEndTxnMarker(options: EndTxnMarkerOptions): Buffer {
  const key = Buffer.alloc(4);
  key.writeInt16BE(0, 0); // key version
  key.writeInt16BE(options.commit ? ControlType.commit : ControlType.abort, 2);
  const value = Buffer.alloc(6);
  value.writeInt16BE(0, 0); // value version
  value.writeInt32BE(options.coordinatorEpoch, 2);
  return buildBatch({
    records: [{ key, value, timestamp: options.timestamp }],
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    baseSequence: -1,
    isTransactional: true,
    isControl: true,
    partitionLeaderEpoch: options.partitionLeaderEpoch,
  });
}
