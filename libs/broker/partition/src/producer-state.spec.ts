import { ErrorCode } from '@stratus/kafka-errors';
import { lastSequenceOf, ProducerStateTable, RETAINED_BATCHES } from './producer-state';

const INT32_MAX = 2 ** 31 - 1;
const batch = (baseSequence: number, count = 1, producerEpoch = 0, producerId = 7n) => ({
  producerId,
  producerEpoch,
  baseSequence,
  lastOffsetDelta: count - 1,
  maxTimestamp: 1_000n + BigInt(baseSequence),
});

describe('ProducerStateTable', () => {
  it('sequences wrap from int32 max to 0, as Kafka clients do', () => {
    expect(lastSequenceOf(INT32_MAX - 1, 2)).toBe(0);
    expect(lastSequenceOf(5, 3)).toBe(8);
    const table = new ProducerStateTable();
    table.replay(batch(INT32_MAX - 1, 3), 0n, 2n); // sequences INT32_MAX - 1, INT32_MAX, 0
    expect(table.check(batch(1))).toEqual({ kind: 'append' });
    expect(table.check(batch(2))).toMatchObject({ kind: 'reject', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
  });

  it('accepts any first sequence from an unknown producer and non-idempotent batches unchecked', () => {
    const table = new ProducerStateTable();
    expect(table.check(batch(1234))).toEqual({ kind: 'append' });
    expect(table.check({ producerId: -1n, producerEpoch: -1, baseSequence: -1, lastOffsetDelta: 0, maxTimestamp: 0n })).toEqual({ kind: 'append' });
  });

  it('checks the batches of one request against each other before anything is committed', () => {
    const table = new ProducerStateTable();
    table.replay(batch(0, 2), 0n, 1n);
    const staged = table.stage();
    expect(table.check(batch(2), staged)).toEqual({ kind: 'append' });
    staged.record(batch(2), { baseOffset: 2n, lastOffset: 2n });
    expect(table.check(batch(3), staged)).toEqual({ kind: 'append' });
    expect(table.check(batch(5), staged)).toMatchObject({ kind: 'reject' });
    // Nothing is visible until commit.
    expect(table.check(batch(3))).toMatchObject({ kind: 'reject', code: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    table.commit(staged);
    expect(table.check(batch(2))).toEqual({ kind: 'duplicate', baseOffset: 2n, lastOffset: 2n });
  });

  it(`remembers the last ${RETAINED_BATCHES} batches per producer, and a new epoch forgets the old ones`, () => {
    const table = new ProducerStateTable();
    for (let seq = 0; seq < 7; seq++) table.replay(batch(seq), BigInt(seq), BigInt(seq));
    expect(table.check(batch(2))).toEqual({ kind: 'duplicate', baseOffset: 2n, lastOffset: 2n });
    expect(table.check(batch(1))).toMatchObject({ kind: 'reject' });
    table.replay(batch(0, 1, 1), 7n, 7n);
    expect(table.check(batch(6, 1, 0))).toMatchObject({ kind: 'reject', code: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(table.check(batch(0, 1, 1))).toEqual({ kind: 'duplicate', baseOffset: 7n, lastOffset: 7n });
    expect(table.size).toBe(1);
  });

  describe('describe (DescribeProducers, KIP-664)', () => {
    it('shows each producer with its epoch, last sequence and last batch timestamp, ordered by id', () => {
      const table = new ProducerStateTable();
      table.replay(batch(0, 3, 0, 9n), 0n, 2n);
      table.replay(batch(0, 2, 1, 4n), 3n, 4n);
      table.replay(batch(3, 2, 0, 9n), 5n, 6n);
      table.replay({ producerId: -1n, producerEpoch: -1, baseSequence: -1, lastOffsetDelta: 0, maxTimestamp: 5n }, 7n, 7n);
      expect(table.describe()).toEqual([
        { producerId: 4n, producerEpoch: 1, lastSequence: 1, lastTimestamp: 1_000n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
        { producerId: 9n, producerEpoch: 0, lastSequence: 4, lastTimestamp: 1_003n, coordinatorEpoch: -1, currentTxnStartOffset: -1n },
      ]);
    });

    it('keeps the append time the leader stamped under LogAppendTime, and a bumped epoch replaces the entry', () => {
      const table = new ProducerStateTable();
      const staged = table.stage();
      staged.record(batch(0, 5), { baseOffset: 0n, lastOffset: 4n, logAppendTimeMs: 77_000n });
      expect(table.describe()).toEqual([]); // nothing until the request's batches are committed
      table.commit(staged);
      expect(table.describe()).toEqual([expect.objectContaining({ producerId: 7n, producerEpoch: 0, lastSequence: 4, lastTimestamp: 77_000n })]);
      table.replay(batch(0, 1, 3), 5n, 5n);
      expect(table.describe()).toEqual([expect.objectContaining({ producerId: 7n, producerEpoch: 3, lastSequence: 0, lastTimestamp: 1_000n })]);
    });

    it('survives a rebuild: a table replayed from the log and adopted describes the same producers', () => {
      const live = new ProducerStateTable();
      const rebuilt = new ProducerStateTable();
      for (const [seq, pid] of [[0, 1n], [0, 2n], [1, 1n]] as const) {
        const staged = live.stage();
        staged.record(batch(seq, 1, 0, pid), { baseOffset: BigInt(seq), lastOffset: BigInt(seq) });
        live.commit(staged);
        rebuilt.replay(batch(seq, 1, 0, pid), BigInt(seq), BigInt(seq));
      }
      const leader = new ProducerStateTable();
      leader.adopt(rebuilt);
      expect(leader.describe()).toEqual(live.describe());
      expect(leader.describe().map((p) => [p.producerId, p.lastSequence])).toEqual([[1n, 1], [2n, 0]]);
    });
  });
});

