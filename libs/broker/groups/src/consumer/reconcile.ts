// The KIP-848 member reconciliation rule: a member moves towards its target assignment, but a
// partition it must give up is first "pending revocation" (the member keeps its epoch until it
// confirms), and a partition it should get that another member still holds is "unreleased" and
// only handed over once freed. Thus no partition is ever owned by two members at once.
import type { ConsumerGroup, ConsumerMember } from '../state';
import { assignmentEquals, assignmentIntersect, assignmentMinus, type TopicId } from '../types';
import { ownerOf } from './consumer-group';

export interface Reconciled {
  readonly memberEpoch: number;
  readonly previousMemberEpoch: number;
  readonly state: ConsumerMember['state'];
  readonly assigned: Map<TopicId, number[]>;
  readonly pendingRevocation: Map<TopicId, number[]>;
}

/**
 * Next assignment state of `m`. `owned` is what the client reported it owns (null when it did not
 * say); it tells us when pending revocations are done.
 */
export function reconcile(g: ConsumerGroup, m: ConsumerMember, owned: ReadonlyMap<TopicId, readonly number[]> | null): Reconciled {
  const target = g.target.get(m.memberId) ?? new Map<TopicId, number[]>();
  const current: Reconciled = {
    memberEpoch: m.memberEpoch,
    previousMemberEpoch: m.previousMemberEpoch,
    state: m.state,
    assigned: m.assigned,
    pendingRevocation: m.pendingRevocation,
  };
  switch (m.state) {
    case 'unrevoked_partitions': {
      // Still waiting unless the client confirms it no longer owns any partition being revoked.
      if (owned === null || assignmentIntersect(m.pendingRevocation, owned).size > 0) return current;
      return computeNext(g, m, target);
    }
    case 'unreleased_partitions':
      return computeNext(g, m, target);
    case 'stable':
      if (m.memberEpoch === g.assignmentEpoch) return current;
      return computeNext(g, m, target);
  }
}

function computeNext(g: ConsumerGroup, m: ConsumerMember, target: ReadonlyMap<TopicId, readonly number[]>): Reconciled {
  const keep = assignmentIntersect(m.assigned, target);
  const revoke = assignmentMinus(m.assigned, target);
  if (revoke.size > 0) {
    // Give up first; the epoch does not advance until the member confirms the revocation.
    return {
      memberEpoch: m.memberEpoch,
      previousMemberEpoch: m.previousMemberEpoch,
      state: 'unrevoked_partitions',
      assigned: keep,
      pendingRevocation: revoke,
    };
  }
  const assigned = new Map(keep);
  let unreleased = false;
  for (const [t, ps] of assignmentMinus(target, m.assigned)) {
    for (const p of ps) {
      const owner = ownerOf(g, t, p);
      if (owner !== undefined && owner !== m.memberId) {
        unreleased = true;
        continue;
      }
      assigned.set(t, [...(assigned.get(t) ?? []), p].sort((a, b) => a - b));
    }
  }
  const memberEpoch = g.assignmentEpoch;
  return {
    memberEpoch,
    previousMemberEpoch: memberEpoch !== m.memberEpoch ? m.memberEpoch : m.previousMemberEpoch,
    state: unreleased ? 'unreleased_partitions' : 'stable',
    assigned,
    pendingRevocation: new Map(),
  };
}

export function reconciledChanged(m: ConsumerMember, r: Reconciled): boolean {
  return (
    m.memberEpoch !== r.memberEpoch ||
    m.previousMemberEpoch !== r.previousMemberEpoch ||
    m.state !== r.state ||
    !assignmentEquals(m.assigned, r.assigned) ||
    !assignmentEquals(m.pendingRevocation, r.pendingRevocation)
  );
}
