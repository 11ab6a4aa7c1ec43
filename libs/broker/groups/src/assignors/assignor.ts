// Server-side assignors for KIP-848 consumer groups. Pure functions of the group's members
// (subscriptions and current target) and the partition counts of subscribed topics.
import type { TopicId } from '../types';

export interface AssignorMember {
  readonly memberId: string;
  readonly instanceId: string | null;
  readonly subscribedTopicIds: ReadonlySet<TopicId>;
  /** The member's previous target assignment: the sticky starting point. */
  readonly current: ReadonlyMap<TopicId, readonly number[]>;
}

export interface AssignorInput {
  readonly members: readonly AssignorMember[];
  /** Partition count of every topic any member subscribes to. */
  readonly topics: ReadonlyMap<TopicId, number>;
}

export type AssignorOutput = Map<string, Map<TopicId, number[]>>;

export interface Assignor {
  readonly name: string;
  assign(input: AssignorInput): AssignorOutput;
}

export const partitionKey = (t: TopicId, p: number): string => `${t}\u0000${p}`;

export function emptyOutput(input: AssignorInput): AssignorOutput {
  return new Map(input.members.map((m) => [m.memberId, new Map<TopicId, number[]>()]));
}

export function addPartition(out: AssignorOutput, memberId: string, t: TopicId, p: number): void {
  const a = out.get(memberId) as Map<TopicId, number[]>;
  const ps = a.get(t);
  if (ps) ps.push(p);
  else a.set(t, [p]);
}

export function finish(out: AssignorOutput): AssignorOutput {
  for (const a of out.values()) {
    for (const [t, ps] of a) {
      ps.sort((x, y) => x - y);
      if (ps.length === 0) a.delete(t);
    }
  }
  return out;
}
