// Test driver for GroupCoordinator: a manual clock, collected records and parked replies.
import { ErrorCode } from '@stratus/kafka-errors';
import { GroupCoordinator, type Effects } from './coordinator';
import type { JoinGroupRequest } from './classic/join';
import type { ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse } from './consumer/heartbeat';
import type { JoinGroupResponse, SyncGroupResponse } from './state';
import { groupKey, topicCatalog, topicId, type GroupConfig, type GroupKey, type GroupRecord, type TopicCatalog, type TopicInfo } from './types';

export const G = groupKey('t1/g');

export function subscription(topics: readonly string[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from([0, 0])];
  const n = Buffer.alloc(4);
  n.writeInt32BE(topics.length);
  parts.push(n);
  for (const t of topics) {
    const b = Buffer.from(t, 'utf8');
    const len = Buffer.alloc(2);
    len.writeInt16BE(b.length);
    parts.push(len, b);
  }
  parts.push(Buffer.from([0xff, 0xff, 0xff, 0xff]));
  return new Uint8Array(Buffer.concat(parts));
}

export function topics(...specs: [string, number][]): TopicCatalog {
  return topicCatalog(specs.map(([name, partitions]): TopicInfo => ({ name, id: topicId(`id-${name}`), partitions })));
}

export class Harness {
  now = 1_000_000;
  readonly records: GroupRecord[] = [];
  readonly joins = new Map<number, JoinGroupResponse>();
  readonly syncs = new Map<number, SyncGroupResponse>();
  private token = 0;
  private seq = 0;
  coord: GroupCoordinator;

  constructor(readonly config: Partial<GroupConfig> = {}) {
    this.coord = new GroupCoordinator({ clock: () => this.now, config, newId: () => `m${++this.seq}` });
  }

  absorb<E extends Effects>(e: E): E {
    this.records.push(...e.records);
    for (const r of e.joinReplies) this.joins.set(r.token, r.response);
    for (const r of e.syncReplies) this.syncs.set(r.token, r.response);
    return e;
  }

  /** Sends a JoinGroup; returns its token (look the answer up in `joins`). */
  join(req: Partial<JoinGroupRequest> & { memberId?: string }, key: GroupKey = G): number {
    const token = ++this.token;
    this.absorb(
      this.coord.joinGroup(
        key,
        {
          memberId: '',
          groupInstanceId: null,
          protocolType: 'consumer',
          protocols: [{ name: 'range', metadata: subscription(['orders']) }],
          sessionTimeoutMs: 10_000,
          rebalanceTimeoutMs: 30_000,
          clientId: 'c',
          clientHost: '/127.0.0.1',
          apiVersion: 9,
          ...req,
        },
        token,
      ),
    );
    return token;
  }

  /** Two-phase join (KIP-394): returns the token of the second join and the member id. */
  joinNew(req: Partial<JoinGroupRequest> = {}, key: GroupKey = G): { token: number; memberId: string } {
    const first = this.join(req, key);
    const r = this.joins.get(first);
    if (!r || r.errorCode !== ErrorCode.MEMBER_ID_REQUIRED) throw new Error(`expected MEMBER_ID_REQUIRED, got ${JSON.stringify(r)}`);
    return { token: this.join({ ...req, memberId: r.memberId }, key), memberId: r.memberId };
  }

  sync(memberId: string, generationId: number, assignments: { memberId: string; assignment: Uint8Array }[] = [], extra: { groupInstanceId?: string | null; protocolType?: string | null; protocolName?: string | null } = {}, key: GroupKey = G): number {
    const token = ++this.token;
    this.absorb(
      this.coord.syncGroup(
        key,
        { memberId, generationId, groupInstanceId: extra.groupInstanceId ?? null, protocolType: extra.protocolType ?? null, protocolName: extra.protocolName ?? null, assignments },
        token,
      ),
    );
    return token;
  }

  heartbeat(memberId: string, generationId: number, groupInstanceId: string | null = null, key: GroupKey = G): ErrorCode {
    return this.absorb(this.coord.heartbeat(key, { memberId, generationId, groupInstanceId })).response.errorCode;
  }

  cgh(req: Partial<ConsumerGroupHeartbeatRequest> & { memberId: string; memberEpoch: number }, catalog: TopicCatalog, key: GroupKey = G): ConsumerGroupHeartbeatResponse {
    return this.absorb(
      this.coord.consumerGroupHeartbeat(
        key,
        {
          instanceId: null,
          rackId: null,
          rebalanceTimeoutMs: req.memberEpoch === 0 ? 30_000 : -1,
          subscribedTopicNames: null,
          subscribedTopicRegex: null,
          serverAssignor: null,
          topicPartitions: req.memberEpoch === 0 ? [] : null,
          clientId: 'c',
          clientHost: '/127.0.0.1',
          apiVersion: 1,
          ...req,
        },
        catalog,
      ),
    ).response;
  }

  /** Moves the clock forward, firing every timer on the way in order. */
  advance(ms: number): void {
    const target = this.now + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const next = this.coord.nextDeadline();
      if (next > target) break;
      this.now = Math.max(this.now, next);
      this.absorb(this.coord.tick());
    }
    this.now = target;
  }

  replayed(): GroupCoordinator {
    return GroupCoordinator.replay(this.records, { clock: () => this.now, config: this.config, newId: () => `r${++this.seq}` });
  }
}
