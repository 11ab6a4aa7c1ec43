// Offsets-topic records (our own format; documented in docs/groups.md). Every key starts with a
// one-byte record type so compaction (latest value per key wins, null value = tombstone) keeps one
// value per group, member or partition. Every value starts with a one-byte schema version so a
// later format can be read next to this one.
import { BinaryReader, BinaryWriter, RecordFormatError } from './binary';
import type { GroupKey, GroupRecord, TopicId, TopicInfo } from '../types';
import { groupKey, topicId } from '../types';

export const RecordType = {
  Offset: 1,
  ClassicGroup: 2,
  ConsumerGroup: 3,
  ConsumerMember: 4,
  TargetMember: 5,
  TargetEpoch: 6,
  CurrentAssignment: 7,
  TxnOffset: 8,
} as const;

const VALUE_VERSION = 0;

export interface OffsetValue {
  readonly offset: bigint;
  readonly leaderEpoch: number;
  readonly metadata: string;
  readonly commitTimestamp: number;
  /** Explicit expiry (OffsetCommit v2–v4 retention_time_ms), or -1. */
  readonly expireTimestamp: number;
}

export interface ClassicMemberValue {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly sessionTimeoutMs: number;
  readonly protocols: readonly { readonly name: string; readonly metadata: Uint8Array }[];
  readonly assignment: Uint8Array;
}

export interface ClassicGroupValue {
  readonly protocolType: string;
  readonly generation: number;
  readonly protocolName: string | null;
  readonly leader: string | null;
  /** When the group last became Empty (retention base), or -1. */
  readonly emptySince: number;
  readonly members: readonly ClassicMemberValue[];
}

export interface ConsumerGroupValue {
  readonly groupEpoch: number;
  /** Metadata of every subscribed topic when the epoch was bumped (detects topic changes). */
  readonly topics: readonly TopicInfo[];
  /** Each regex in use and the topic names it resolved to. */
  readonly regexes: readonly { readonly regex: string; readonly topics: readonly string[] }[];
}

export interface ConsumerMemberValue {
  readonly instanceId: string | null;
  readonly rackId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  readonly rebalanceTimeoutMs: number;
  readonly subscribedTopicNames: readonly string[];
  readonly subscribedTopicRegex: string | null;
  readonly serverAssignor: string | null;
}

export type AssignmentValue = ReadonlyMap<TopicId, readonly number[]>;

export type MemberState = 'stable' | 'unrevoked_partitions' | 'unreleased_partitions';
const memberStates: readonly MemberState[] = ['stable', 'unrevoked_partitions', 'unreleased_partitions'];

export interface CurrentAssignmentValue {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: MemberState;
  readonly assigned: AssignmentValue;
  readonly pendingRevocation: AssignmentValue;
}

export type GroupRecordModel =
  | { type: 'offset'; group: GroupKey; topic: string; partition: number; value: OffsetValue | null }
  | { type: 'classic-group'; group: GroupKey; value: ClassicGroupValue | null }
  | { type: 'consumer-group'; group: GroupKey; value: ConsumerGroupValue | null }
  | { type: 'consumer-member'; group: GroupKey; memberId: string; value: ConsumerMemberValue | null }
  | { type: 'target-member'; group: GroupKey; memberId: string; value: AssignmentValue | null }
  | { type: 'target-epoch'; group: GroupKey; value: { assignmentEpoch: number } | null }
  | { type: 'current-assignment'; group: GroupKey; memberId: string; value: CurrentAssignmentValue | null }
  | {
      type: 'txn-offset';
      group: GroupKey;
      producerId: bigint;
      topic: string;
      partition: number;
      value: OffsetValue | null;
    };

const writeOffset = (w: BinaryWriter, v: OffsetValue): void => {
  w.i64(v.offset).i32(v.leaderEpoch).str(v.metadata).ms(v.commitTimestamp).ms(v.expireTimestamp);
};
const readOffset = (r: BinaryReader): OffsetValue => ({
  offset: r.i64(),
  leaderEpoch: r.i32(),
  metadata: r.str(),
  commitTimestamp: r.ms(),
  expireTimestamp: r.ms(),
});
const writeAssignment = (w: BinaryWriter, a: AssignmentValue): void => {
  const topics = [...a.keys()].sort();
  w.array(topics, (w2, t) => w2.str(t).array([...(a.get(t) ?? [])], (w3, p) => w3.i32(p)));
};
const readAssignment = (r: BinaryReader): Map<TopicId, number[]> =>
  new Map(r.array((r2) => [topicId(r2.str()), r2.array((r3) => r3.i32())] as const));

function encodeValue(m: GroupRecordModel): Uint8Array | null {
  if (m.value === null) return null;
  const w = new BinaryWriter().u8(VALUE_VERSION);
  switch (m.type) {
    case 'offset':
    case 'txn-offset':
      writeOffset(w, m.value);
      break;
    case 'classic-group': {
      const v = m.value;
      w.str(v.protocolType).i32(v.generation).str(v.protocolName).str(v.leader).ms(v.emptySince);
      w.array(v.members, (w2, mb) => {
        w2.str(mb.memberId).str(mb.instanceId).str(mb.clientId).str(mb.clientHost);
        w2.i32(mb.rebalanceTimeoutMs).i32(mb.sessionTimeoutMs);
        w2.array(mb.protocols, (w3, p) => w3.str(p.name).bytes(p.metadata));
        w2.bytes(mb.assignment);
      });
      break;
    }
    case 'consumer-group':
      w.i32(m.value.groupEpoch);
      w.array(m.value.topics, (w2, t) => w2.str(t.name).str(t.id).i32(t.partitions));
      w.array(m.value.regexes, (w2, x) => w2.str(x.regex).array(x.topics, (w3, t) => w3.str(t)));
      break;
    case 'consumer-member': {
      const v = m.value;
      w.str(v.instanceId).str(v.rackId).str(v.clientId).str(v.clientHost).i32(v.rebalanceTimeoutMs);
      w.array(v.subscribedTopicNames, (w2, t) => w2.str(t)).str(v.subscribedTopicRegex).str(v.serverAssignor);
      break;
    }
    case 'target-member':
      writeAssignment(w, m.value);
      break;
    case 'target-epoch':
      w.i32(m.value.assignmentEpoch);
      break;
    case 'current-assignment': {
      const v = m.value;
      w.i32(v.memberEpoch).i32(v.previousMemberEpoch).u8(memberStates.indexOf(v.state));
      writeAssignment(w, v.assigned);
      writeAssignment(w, v.pendingRevocation);
      break;
    }
  }
  return w.finish();
}

function encodeKey(m: GroupRecordModel): Uint8Array {
  const w = new BinaryWriter();
  switch (m.type) {
    case 'offset':
      return w.u8(RecordType.Offset).str(m.group).str(m.topic).i32(m.partition).finish();
    case 'classic-group':
      return w.u8(RecordType.ClassicGroup).str(m.group).finish();
    case 'consumer-group':
      return w.u8(RecordType.ConsumerGroup).str(m.group).finish();
    case 'consumer-member':
      return w.u8(RecordType.ConsumerMember).str(m.group).str(m.memberId).finish();
    case 'target-member':
      return w.u8(RecordType.TargetMember).str(m.group).str(m.memberId).finish();
    case 'target-epoch':
      return w.u8(RecordType.TargetEpoch).str(m.group).finish();
    case 'current-assignment':
      return w.u8(RecordType.CurrentAssignment).str(m.group).str(m.memberId).finish();
    case 'txn-offset':
      return w.u8(RecordType.TxnOffset).str(m.group).i64(m.producerId).str(m.topic).i32(m.partition).finish();
  }
}

export function encodeRecord(m: GroupRecordModel): GroupRecord {
  return { key: encodeKey(m), value: encodeValue(m) };
}

/** Decodes one record; throws RecordFormatError when the bytes are not a record we wrote. */
export function decodeRecord(rec: GroupRecord): GroupRecordModel {
  const k = new BinaryReader(rec.key);
  const type = k.u8();
  const group = groupKey(k.str());
  const v = rec.value === null ? null : new BinaryReader(rec.value);
  if (v !== null && v.u8() !== VALUE_VERSION) throw new RecordFormatError('unknown record value version');
  const done = <T>(m: T): T => {
    k.end();
    v?.end();
    return m;
  };
  switch (type) {
    case RecordType.Offset: {
      const topic = k.str();
      const partition = k.i32();
      return done({ type: 'offset', group, topic, partition, value: v && readOffset(v) });
    }
    case RecordType.TxnOffset: {
      const producerId = k.i64();
      const topic = k.str();
      const partition = k.i32();
      return done({ type: 'txn-offset', group, producerId, topic, partition, value: v && readOffset(v) });
    }
    case RecordType.ClassicGroup:
      return done({ type: 'classic-group', group, value: v && readClassic(v) });
    case RecordType.ConsumerGroup:
      return done({
        type: 'consumer-group',
        group,
        value: v && {
          groupEpoch: v.i32(),
          topics: v.array((r) => ({ name: r.str(), id: topicId(r.str()), partitions: r.i32() })),
          regexes: v.array((r) => ({ regex: r.str(), topics: r.array((r2) => r2.str()) })),
        },
      });
    case RecordType.ConsumerMember: {
      const memberId = k.str();
      return done({
        type: 'consumer-member',
        group,
        memberId,
        value: v && {
          instanceId: v.strOrNull(),
          rackId: v.strOrNull(),
          clientId: v.str(),
          clientHost: v.str(),
          rebalanceTimeoutMs: v.i32(),
          subscribedTopicNames: v.array((r) => r.str()),
          subscribedTopicRegex: v.strOrNull(),
          serverAssignor: v.strOrNull(),
        },
      });
    }
    case RecordType.TargetMember: {
      const memberId = k.str();
      return done({ type: 'target-member', group, memberId, value: v && readAssignment(v) });
    }
    case RecordType.TargetEpoch:
      return done({ type: 'target-epoch', group, value: v && { assignmentEpoch: v.i32() } });
    case RecordType.CurrentAssignment: {
      const memberId = k.str();
      return done({ type: 'current-assignment', group, memberId, value: v && readCurrent(v) });
    }
    default:
      throw new RecordFormatError(`unknown record type ${type}`);
  }
}

function readClassic(v: BinaryReader): ClassicGroupValue {
  return {
    protocolType: v.str(),
    generation: v.i32(),
    protocolName: v.strOrNull(),
    leader: v.strOrNull(),
    emptySince: v.ms(),
    members: v.array((r) => ({
      memberId: r.str(),
      instanceId: r.strOrNull(),
      clientId: r.str(),
      clientHost: r.str(),
      rebalanceTimeoutMs: r.i32(),
      sessionTimeoutMs: r.i32(),
      protocols: r.array((r2) => ({ name: r2.str(), metadata: r2.bytes() })),
      assignment: r.bytes(),
    })),
  };
}

function readCurrent(v: BinaryReader): CurrentAssignmentValue {
  const memberEpoch = v.i32();
  const previousMemberEpoch = v.i32();
  const state = memberStates[v.u8()];
  if (state === undefined) throw new RecordFormatError('unknown member state');
  return { memberEpoch, previousMemberEpoch, state, assigned: readAssignment(v), pendingRevocation: readAssignment(v) };
}
