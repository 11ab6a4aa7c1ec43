// The "range" assignor: per topic, subscribed members (ordered by instance id when static, else
// member id, so a restarted static member lands on the same range) receive contiguous ranges;
// the first `partitions % members` members get one extra. Topics with the same partition count and
// the same subscribers are thus co-partitioned, which is why people pick range.
import { addPartition, emptyOutput, finish, type Assignor, type AssignorInput, type AssignorOutput } from './assignor';

export const rangeAssignor: Assignor = {
  name: 'range',
  assign(input: AssignorInput): AssignorOutput {
    const out = emptyOutput(input);
    const sortKey = (m: { memberId: string; instanceId: string | null }): string => `${m.instanceId !== null ? '0' : '1'}${m.instanceId ?? m.memberId}`;
    for (const t of [...input.topics.keys()].sort()) {
      const subs = input.members
        .filter((m) => m.subscribedTopicIds.has(t))
        .sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
      if (subs.length === 0) continue;
      const count = input.topics.get(t) ?? 0;
      const base = Math.floor(count / subs.length);
      const extra = count % subs.length;
      let next = 0;
      subs.forEach((m, i) => {
        const n = base + (i < extra ? 1 : 0);
        for (let k = 0; k < n; k++) addPartition(out, m.memberId, t, next++);
      });
    }
    return finish(out);
  },
};
