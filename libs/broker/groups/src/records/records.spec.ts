import fc from 'fast-check';
import { groupKey, topicId } from '../types';
import { RecordFormatError } from './binary';
import { decodeRecord, encodeRecord, type GroupRecordModel } from './records';

const str = fc.string({ maxLength: 12 });
const nullableStr = fc.option(str, { nil: null });
const assignment = fc
  .uniqueArray(fc.tuple(str, fc.uniqueArray(fc.nat(50), { maxLength: 5 })), { selector: ([t]) => t, maxLength: 3 })
  .map((xs) => new Map(xs.map(([t, ps]) => [topicId(t), [...ps].sort((a, b) => a - b)])));
const offsetValue = fc.record({
  offset: fc.bigInt({ min: -1n, max: 2n ** 62n }),
  leaderEpoch: fc.integer({ min: -1, max: 1000 }),
  metadata: str,
  commitTimestamp: fc.nat(2 ** 45),
  expireTimestamp: fc.integer({ min: -1, max: 2 ** 45 }),
});
const g = str.map(groupKey);

const model: fc.Arbitrary<GroupRecordModel> = fc.oneof(
  fc.record({ type: fc.constant('offset' as const), group: g, topic: str, partition: fc.nat(1000), value: fc.option(offsetValue, { nil: null }) }),
  fc.record({
    type: fc.constant('txn-offset' as const),
    group: g,
    producerId: fc.bigInt({ min: 0n, max: 2n ** 62n }),
    topic: str,
    partition: fc.nat(1000),
    value: fc.option(offsetValue, { nil: null }),
  }),
  fc.record({
    type: fc.constant('classic-group' as const),
    group: g,
    value: fc.option(
      fc.record({
        protocolType: str,
        generation: fc.nat(1000),
        protocolName: nullableStr,
        leader: nullableStr,
        emptySince: fc.integer({ min: -1, max: 2 ** 45 }),
        members: fc.array(
          fc.record({
            memberId: str,
            instanceId: nullableStr,
            clientId: str,
            clientHost: str,
            rebalanceTimeoutMs: fc.nat(1e6),
            sessionTimeoutMs: fc.nat(1e6),
            protocols: fc.array(fc.record({ name: str, metadata: fc.uint8Array({ maxLength: 8 }) }), { maxLength: 3 }),
            assignment: fc.uint8Array({ maxLength: 8 }),
          }),
          { maxLength: 3 },
        ),
      }),
      { nil: null },
    ),
  }),
  fc.record({
    type: fc.constant('consumer-group' as const),
    group: g,
    value: fc.option(
      fc.record({
        groupEpoch: fc.nat(1000),
        topics: fc.array(fc.record({ name: str, id: str.map(topicId), partitions: fc.nat(100) }), { maxLength: 3 }),
        regexes: fc.array(fc.record({ regex: str, topics: fc.array(str, { maxLength: 3 }) }), { maxLength: 2 }),
      }),
      { nil: null },
    ),
  }),
  fc.record({
    type: fc.constant('consumer-member' as const),
    group: g,
    memberId: str,
    value: fc.option(
      fc.record({
        instanceId: nullableStr,
        rackId: nullableStr,
        clientId: str,
        clientHost: str,
        rebalanceTimeoutMs: fc.nat(1e6),
        subscribedTopicNames: fc.array(str, { maxLength: 3 }),
        subscribedTopicRegex: nullableStr,
        serverAssignor: nullableStr,
      }),
      { nil: null },
    ),
  }),
  fc.record({ type: fc.constant('target-member' as const), group: g, memberId: str, value: fc.option(assignment, { nil: null }) }),
  fc.record({ type: fc.constant('target-epoch' as const), group: g, value: fc.option(fc.record({ assignmentEpoch: fc.nat(1000) }), { nil: null }) }),
  fc.record({
    type: fc.constant('current-assignment' as const),
    group: g,
    memberId: str,
    value: fc.option(
      fc.record({
        memberEpoch: fc.integer({ min: -2, max: 1000 }),
        previousMemberEpoch: fc.integer({ min: -2, max: 1000 }),
        state: fc.constantFrom('stable' as const, 'unrevoked_partitions' as const, 'unreleased_partitions' as const),
        assigned: assignment,
        pendingRevocation: assignment,
      }),
      { nil: null },
    ),
  }),
);

describe('offsets-topic records', () => {
  it('round-trip through the binary encoding', () => {
    fc.assert(
      fc.property(model, (m) => {
        expect(decodeRecord(encodeRecord(m))).toEqual(m);
      }),
    );
  });

  it('a tombstone has a null value and the same key as the record it deletes', () => {
    const live = encodeRecord({ type: 'offset', group: groupKey('t/g'), topic: 'a', partition: 1, value: { offset: 1n, leaderEpoch: 0, metadata: '', commitTimestamp: 0, expireTimestamp: -1 } });
    const dead = encodeRecord({ type: 'offset', group: groupKey('t/g'), topic: 'a', partition: 1, value: null });
    expect(dead.value).toBeNull();
    expect(Buffer.from(dead.key).equals(Buffer.from(live.key))).toBe(true);
  });

  it('rejects truncated, padded or unknown bytes with RecordFormatError, never anything else', () => {
    fc.assert(
      fc.property(model, fc.nat(), (m, cut) => {
        const r = encodeRecord(m);
        if (r.value !== null && r.value.length > 1) {
          const truncated = { key: r.key, value: r.value.subarray(0, cut % r.value.length) };
          expect(() => decodeRecord(truncated)).toThrow(RecordFormatError);
        }
        const padded = { key: new Uint8Array([...r.key, 0]), value: r.value };
        expect(() => decodeRecord(padded)).toThrow(RecordFormatError);
      }),
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.option(fc.uint8Array({ maxLength: 40 }), { nil: null }), (key, value) => {
        try {
          decodeRecord({ key, value });
        } catch (e) {
          expect(e).toBeInstanceOf(RecordFormatError);
        }
      }),
    );
  });
});
