// The "uniform" assignor: spreads every subscribed partition as evenly as the subscriptions allow
// and keeps partitions where they are when that does not hurt balance (KIP-848 stickiness:
// fewer revocations, fewer lost caches). Deterministic: members and partitions are visited in
// sorted order.
import type { TopicId } from '../types';
import { addPartition, emptyOutput, finish, partitionKey, type Assignor, type AssignorInput, type AssignorOutput } from './assignor';

interface Load {
  readonly memberId: string;
  readonly subs: ReadonlySet<TopicId>;
  owned: { t: TopicId; p: number }[];
}

export const uniformAssignor: Assignor = {
  name: 'uniform',
  assign(input: AssignorInput): AssignorOutput {
    const members = [...input.members].sort((a, b) => (a.memberId < b.memberId ? -1 : a.memberId > b.memberId ? 1 : 0));
    const all: { t: TopicId; p: number }[] = [];
    for (const t of [...input.topics.keys()].sort()) {
      if (!members.some((m) => m.subscribedTopicIds.has(t))) continue;
      for (let p = 0; p < (input.topics.get(t) ?? 0); p++) all.push({ t, p });
    }
    const homogeneous = members.every((m) => sameSet(m.subscribedTopicIds, members[0]?.subscribedTopicIds));
    const loads: Load[] = members.map((m) => ({ memberId: m.memberId, subs: m.subscribedTopicIds, owned: [] }));
    const taken = new Set<string>();

    // 1. Stickiness: keep previously targeted partitions that are still valid. With identical
    //    subscriptions the exact quota is known, so a member keeps at most its fair share.
    const total = all.length;
    const n = Math.max(members.length, 1);
    const minQuota = Math.floor(total / n);
    let extraSlots = total % n;
    members.forEach((m, i) => {
      const load = loads[i] as Load;
      const keep: { t: TopicId; p: number }[] = [];
      for (const t of [...m.current.keys()].sort()) {
        const count = input.topics.get(t) ?? 0;
        if (!m.subscribedTopicIds.has(t)) continue;
        for (const p of [...(m.current.get(t) ?? [])].sort((a, b) => a - b)) {
          if (p < count && !taken.has(partitionKey(t, p))) keep.push({ t, p });
        }
      }
      let cap = keep.length;
      if (homogeneous) {
        cap = Math.min(keep.length, minQuota);
        if (keep.length > minQuota && extraSlots > 0) {
          cap = minQuota + 1;
          extraSlots--;
        }
      }
      for (const k of keep.slice(0, cap)) {
        load.owned.push(k);
        taken.add(partitionKey(k.t, k.p));
      }
    });

    // 2. Every unassigned partition goes to the least loaded eligible member.
    for (const tp of all) {
      if (taken.has(partitionKey(tp.t, tp.p))) continue;
      const target = leastLoaded(loads, tp.t);
      if (!target) continue;
      target.owned.push(tp);
      taken.add(partitionKey(tp.t, tp.p));
    }

    // 3. Subscriptions that differ can leave the result lopsided; move partitions from the most
    //    to a less loaded eligible member while that narrows a gap of two or more.
    if (!homogeneous) rebalance(loads);

    const out = emptyOutput(input);
    for (const l of loads) for (const { t, p } of l.owned) addPartition(out, l.memberId, t, p);
    return finish(out);
  },
};

function sameSet(a: ReadonlySet<TopicId>, b: ReadonlySet<TopicId> | undefined): boolean {
  return b !== undefined && a.size === b.size && [...a].every((x) => b.has(x));
}

function leastLoaded(loads: Load[], t: TopicId): Load | undefined {
  let best: Load | undefined;
  for (const l of loads) if (l.subs.has(t) && (!best || l.owned.length < best.owned.length)) best = l;
  return best;
}

function rebalance(loads: Load[]): void {
  for (let guard = 0; guard < 100_000; guard++) {
    let moved = false;
    const byLoad = [...loads].sort((a, b) => b.owned.length - a.owned.length || (a.memberId < b.memberId ? -1 : 1));
    outer: for (const heavy of byLoad) {
      for (let i = heavy.owned.length - 1; i >= 0; i--) {
        const tp = heavy.owned[i] as { t: TopicId; p: number };
        const light = leastLoaded(loads, tp.t);
        if (light && light.owned.length + 1 < heavy.owned.length) {
          heavy.owned.splice(i, 1);
          light.owned.push(tp);
          moved = true;
          break outer;
        }
      }
    }
    if (!moved) return;
  }
}
