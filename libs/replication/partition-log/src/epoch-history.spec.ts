import { EpochHistory, decodePromisedEpoch, encodePromisedEpoch } from './epoch-history';
import { leaderEpoch as E } from './types';

describe('EpochHistory', () => {
  const h = new EpochHistory([
    { epoch: E(1), startOffset: 0n },
    { epoch: E(3), startOffset: 10n },
    { epoch: E(4), startOffset: 25n },
  ]);

  it('assigns a new epoch only once and refuses to go back', () => {
    expect(h.withAssigned(E(4), 30n)).toBe(h);
    expect(h.withAssigned(E(5), 30n).latest).toEqual({ epoch: 5, startOffset: 30n });
    expect(() => h.withAssigned(E(2), 30n)).toThrow(/cannot assign/);
    expect(() => h.withAssigned(E(6), 20n)).toThrow(/cannot assign/);
    // An epoch that never got a record is superseded by the next one starting at the same offset.
    expect(h.withAssigned(E(7), 25n).entries.slice(-2)).toEqual([{ epoch: 3, startOffset: 10n }, { epoch: 7, startOffset: 25n }]);
  });

  it('truncates from the end: epochs starting at or above the new end disappear', () => {
    expect(h.withTruncatedEnd(25n).entries).toEqual([{ epoch: 1, startOffset: 0n }, { epoch: 3, startOffset: 10n }]);
    expect(h.withTruncatedEnd(11n).entries.length).toBe(2);
    expect(h.withTruncatedEnd(0n).entries).toEqual([]);
  });

  it('truncates from the start: the epoch covering the new log start now starts there', () => {
    expect(h.withTruncatedStart(12n).entries).toEqual([{ epoch: 3, startOffset: 12n }, { epoch: 4, startOffset: 25n }]);
    expect(h.withTruncatedStart(25n).entries).toEqual([{ epoch: 4, startOffset: 25n }]);
    expect(h.withTruncatedStart(0n)).toEqual(h);
  });

  it('answers OffsetForLeaderEpoch like Kafka', () => {
    expect(h.endOffsetFor(E(2), 40n)).toEqual({ epoch: 1, endOffset: 10n });
    expect(h.endOffsetFor(E(3), 40n)).toEqual({ epoch: 3, endOffset: 25n });
    expect(h.endOffsetFor(E(9), 40n)).toEqual({ epoch: 4, endOffset: 40n });
    expect(new EpochHistory([{ epoch: E(2), startOffset: 5n }]).endOffsetFor(E(1), 9n)).toBeUndefined();
  });

  it('round-trips its checkpoint text and rejects damaged files', () => {
    expect(EpochHistory.decode(h.encode(), 'x').entries).toEqual(h.entries);
    expect(h.encode().toString()).toBe('0\n3\n1 0\n3 10\n4 25\n');
    expect(() => EpochHistory.decode(Buffer.from('0\n2\n1 0\n'), 'f')).toThrow(/count/);
    expect(() => EpochHistory.decode(Buffer.from('0\n2\n3 0\n1 5\n'), 'f')).toThrow(/out of order/);
    expect(() => EpochHistory.decode(Buffer.from('0\n2\n1 5\n3 5\n'), 'f')).toThrow(/out of order/);
    expect(() => EpochHistory.decode(Buffer.from('7\n0\n'), 'f')).toThrow(/version/);
    expect(decodePromisedEpoch(encodePromisedEpoch(E(42)), 'p')).toBe(42);
    expect(() => decodePromisedEpoch(Buffer.from('0\n4'), 'p')).toThrow(/malformed/);
  });
});
