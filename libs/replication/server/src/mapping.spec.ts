import { replicationV1 } from '@stratus/contracts';
import { leaderEpoch, partitionKey } from '@stratus/replication-partition-log';
import { keyOf, toWireError, toWireState } from './mapping';

const Code = replicationV1.ReplicaErrorCode;

describe('contract mapping', () => {
  it('turns a PartitionRef into the partition key, refusing malformed ones', () => {
    const topic = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
    expect(keyOf({ topicId: { value: topic }, partition: 3 })).toEqual({ key: partitionKey('00112233445566778899aabbccddeeff', 3) });
    expect(keyOf(undefined)).toMatchObject({ error: { code: Code.INVALID_REQUEST } });
    expect(keyOf({ topicId: { value: Buffer.alloc(15) }, partition: 0 })).toMatchObject({ error: { code: Code.INVALID_REQUEST } });
    expect(keyOf({ topicId: { value: topic }, partition: -1 })).toMatchObject({ error: { code: Code.INVALID_REQUEST } });
  });

  it('maps every domain error to its wire code', () => {
    const p = leaderEpoch(3);
    expect(toWireError({ code: 'FENCED', promisedEpoch: p, message: 'm' }).code).toBe(Code.FENCED);
    expect(toWireError({ code: 'UNKNOWN_LEADER_EPOCH', promisedEpoch: p, message: 'm' }).code).toBe(Code.NOT_FENCED);
    expect(toWireError({ code: 'OUT_OF_ORDER', logEnd: 1n, message: 'm' }).code).toBe(Code.OUT_OF_ORDER);
    expect(toWireError({ code: 'CORRUPT', offset: 1n, file: 'f', message: 'm' }).code).toBe(Code.CORRUPT);
    expect(toWireError({ code: 'INVALID_BATCH', message: 'm' }).code).toBe(Code.CORRUPT);
    expect(toWireError({ code: 'DISK_FULL', retriable: true, message: 'm' }).code).toBe(Code.DISK_FULL);
    expect(toWireError({ code: 'NOT_READY', retriable: true, message: 'm' }).code).toBe(Code.NOT_READY);
    expect(toWireError({ code: 'CLOSED', message: 'm' }).code).toBe(Code.NOT_READY);
    expect(toWireError({ code: 'OFFSET_OUT_OF_RANGE', logStart: 0n, logEnd: 1n, message: 'm' })).toEqual({ code: Code.OFFSET_OUT_OF_RANGE, message: 'm' });
  });

  it('reports an unfenced replica with promised epoch -1', () => {
    const state = toWireState({
      key: partitionKey('00112233445566778899aabbccddeeff', 0),
      promisedEpoch: undefined,
      logStart: 5n,
      durableLogStart: 5n,
      localLogStart: 3n,
      logEnd: 9n,
      epochHistory: [{ epoch: leaderEpoch(2), startOffset: 5n }],
      segmentCount: 1,
      sizeBytes: 100,
      committedOffset: 7n,
    });
    expect(state).toEqual({
      promisedEpoch: -1,
      logStartOffset: 5n,
      logEndOffset: 9n,
      localLogStartOffset: 3n,
      epochHistory: [{ epoch: 2, startOffset: 5n }],
      committedOffset: 7n,
      sizeBytes: 100n,
    });
  });

  it('reports the durable logical start as log_start_offset, also below the first local offset (log.proto)', () => {
    // Local retention dropped [0, 40) after tiering; DeleteRecords had moved the start to 25.
    const state = toWireState({
      key: partitionKey('00112233445566778899aabbccddeeff', 0),
      promisedEpoch: leaderEpoch(3),
      logStart: 40n,
      durableLogStart: 25n,
      localLogStart: 40n,
      logEnd: 90n,
      epochHistory: [],
      segmentCount: 2,
      sizeBytes: 10,
      committedOffset: 90n,
    });
    expect(state.logStartOffset).toBe(25n);
    expect(state.localLogStartOffset).toBe(40n);
  });
});
