// Target assignment: run the group's server-side assignor for the current group epoch and persist
// what changed (per-member target records, then the target epoch record, as Kafka orders them so
// a partially replayed batch never claims an epoch whose targets are missing).
import type { Assignor } from '../assignors/assignor';
import { rangeAssignor } from '../assignors/range';
import { uniformAssignor } from '../assignors/uniform';
import type { ConsumerGroup, Ctx } from '../state';
import { assignmentEquals, type TopicId } from '../types';
import { memberTopicNames } from './subscription';

export const assignors: ReadonlyMap<string, Assignor> = new Map([
  [uniformAssignor.name, uniformAssignor],
  [rangeAssignor.name, rangeAssignor],
]);

/** The assignor most members asked for; ties and silence go to the first configured one. */
export function groupAssignor(ctx: Ctx, g: ConsumerGroup): Assignor {
  const configured = ctx.config.consumerAssignors.filter((n) => assignors.has(n));
  const votes = new Map<string, number>();
  for (const m of g.members.values()) if (m.serverAssignor !== null) votes.set(m.serverAssignor, (votes.get(m.serverAssignor) ?? 0) + 1);
  let best = configured[0] ?? uniformAssignor.name;
  for (const n of configured) if ((votes.get(n) ?? 0) > (votes.get(best) ?? 0)) best = n;
  return assignors.get(best) ?? uniformAssignor;
}

export function computeTargetAssignment(ctx: Ctx, g: ConsumerGroup): void {
  const assignor = groupAssignor(ctx, g);
  const topics = new Map<TopicId, number>();
  for (const t of g.subscriptionTopics.values()) topics.set(t.id, t.partitions);
  const members = [...g.members.values()].map((m) => ({
    memberId: m.memberId,
    instanceId: m.instanceId,
    subscribedTopicIds: new Set([...memberTopicNames(g, m)].map((n) => g.subscriptionTopics.get(n)?.id as TopicId)),
    current: g.target.get(m.memberId) ?? new Map<TopicId, number[]>(),
  }));
  const result = assignor.assign({ members, topics });
  for (const m of members) {
    const next = result.get(m.memberId) ?? new Map<TopicId, number[]>();
    const prev = g.target.get(m.memberId);
    if (prev === undefined || !assignmentEquals(prev, next)) {
      g.target.set(m.memberId, next);
      ctx.records.push({ type: 'target-member', group: g.key, memberId: m.memberId, value: next });
    }
  }
  g.assignmentEpoch = g.groupEpoch;
  ctx.records.push({ type: 'target-epoch', group: g.key, value: { assignmentEpoch: g.assignmentEpoch } });
}
