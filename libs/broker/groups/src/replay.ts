// Rebuilds coordinator state from offsets-topic records (compacted or not: the latest value per
// key wins, a null value deletes). Used by a new coordinator after failover.
import { classicFromValue, newClassicGroup } from './classic/classic-group';
import { claimOwnership, newConsumerGroup } from './consumer/consumer-group';
import { blankConsumerMember } from './consumer/heartbeat';
import type { GroupsAndOffsets } from './offset-apis';
import { decodeRecord } from './records/records';
import type { ConsumerGroup, ConsumerMember } from './state';
import type { GroupConfig, GroupKey, GroupRecord, Millis, TopicId } from './types';

function consumerGroup(s: GroupsAndOffsets, key: GroupKey): ConsumerGroup {
  const g = s.groups.get(key);
  if (g?.kind === 'consumer') return g;
  const created = newConsumerGroup(key);
  s.groups.set(key, created);
  return created;
}

function member(g: ConsumerGroup, memberId: string): ConsumerMember {
  let m = g.members.get(memberId);
  if (!m) {
    m = blankConsumerMember(memberId);
    g.members.set(memberId, m);
  }
  return m;
}

const copy = (a: ReadonlyMap<TopicId, readonly number[]>): Map<TopicId, number[]> => new Map([...a].map(([t, ps]) => [t, [...ps]]));

export function applyRecord(s: GroupsAndOffsets, rec: GroupRecord, now: Millis): void {
  const r = decodeRecord(rec);
  switch (r.type) {
    case 'offset':
      s.offsets.put(r.group, r.topic, r.partition, r.value);
      // Offsets of a group with no record of its own belong to a "simple" (admin/manual) group.
      if (r.value && !s.groups.has(r.group)) s.groups.set(r.group, newClassicGroup(r.group));
      return;
    case 'txn-offset':
      s.offsets.putPending(r.group, r.producerId, r.topic, r.partition, r.value);
      if (r.value && !s.groups.has(r.group)) s.groups.set(r.group, newClassicGroup(r.group));
      return;
    case 'classic-group':
      if (r.value === null) {
        if (s.groups.get(r.group)?.kind === 'classic') s.groups.delete(r.group);
      } else s.groups.set(r.group, classicFromValue(r.group, r.value, now));
      return;
    case 'consumer-group':
      if (r.value === null) {
        if (s.groups.get(r.group)?.kind === 'consumer') s.groups.delete(r.group);
        return;
      }
      {
        const g = consumerGroup(s, r.group);
        g.groupEpoch = r.value.groupEpoch;
        g.subscriptionTopics = new Map(r.value.topics.map((t) => [t.name, { ...t }]));
        g.regexes = new Map(r.value.regexes.map((x) => [x.regex, [...x.topics]]));
      }
      return;
    case 'consumer-member': {
      if (r.value === null) {
        const g = s.groups.get(r.group);
        if (g?.kind === 'consumer') g.members.delete(r.memberId);
        return;
      }
      const m = member(consumerGroup(s, r.group), r.memberId);
      Object.assign(m, { ...r.value, subscribedTopicNames: [...r.value.subscribedTopicNames] });
      return;
    }
    case 'target-member': {
      const g = s.groups.get(r.group);
      if (r.value === null) {
        if (g?.kind === 'consumer') g.target.delete(r.memberId);
        return;
      }
      consumerGroup(s, r.group).target.set(r.memberId, copy(r.value));
      return;
    }
    case 'target-epoch':
      if (r.value !== null) consumerGroup(s, r.group).assignmentEpoch = r.value.assignmentEpoch;
      return;
    case 'current-assignment': {
      if (r.value === null) return; // the member tombstone that follows removes the member
      const m = member(consumerGroup(s, r.group), r.memberId);
      m.memberEpoch = r.value.memberEpoch;
      m.previousMemberEpoch = r.value.previousMemberEpoch;
      m.state = r.value.state;
      m.assigned = copy(r.value.assigned);
      m.pendingRevocation = copy(r.value.pendingRevocation);
      return;
    }
  }
}

/** Derived state and timers after the last record: ownership index, session and revocation deadlines from now. */
export function finishReplay(s: GroupsAndOffsets, now: Millis, config: GroupConfig): void {
  for (const g of s.groups.values()) {
    if (g.kind !== 'consumer') continue;
    g.owners.clear();
    for (const m of g.members.values()) {
      claimOwnership(g, m);
      m.sessionDeadline = now + config.consumerSessionTimeoutMs;
      m.revocationDeadline = m.state === 'unrevoked_partitions' ? now + m.rebalanceTimeoutMs : undefined;
    }
  }
}
