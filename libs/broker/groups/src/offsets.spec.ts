import { ErrorCode } from '@stratus/kafka-errors';
import { G, Harness, subscription, topics } from './harness.testkit';
import { groupKey } from './types';

const commit = (h: Harness, req: { gen?: number; memberId?: string; instanceId?: string | null; topic?: string; partitions?: number[]; metadata?: string; retention?: number }, key = G) =>
  h.absorb(
    h.coord.offsetCommit(key, {
      generationIdOrMemberEpoch: req.gen ?? -1,
      memberId: req.memberId ?? '',
      groupInstanceId: req.instanceId ?? null,
      retentionTimeMs: req.retention ?? -1,
      topics: [
        {
          name: req.topic ?? 'orders',
          partitions: (req.partitions ?? [0]).map((p) => ({ partitionIndex: p, committedOffset: BigInt(100 + p), committedLeaderEpoch: 3, committedMetadata: req.metadata ?? 'm' })),
        },
      ],
    }),
  ).response.topics[0]?.partitions.map((p) => p.errorCode);

const fetchAll = (h: Harness, key = G, requireStable = false) => h.coord.offsetFetch([{ key, topics: null }], { requireStable })[0];

function stableClassic(h: Harness) {
  const a = h.joinNew({ protocols: [{ name: 'range', metadata: subscription(['orders']) }] });
  h.advance(3_000);
  h.sync(a.memberId, 1, []);
  return a.memberId;
}

describe('OffsetCommit / OffsetFetch (classic)', () => {
  it('simple commits create an empty group; fetch returns them, -1 for unknown partitions', () => {
    const h = new Harness();
    expect(commit(h, { partitions: [0, 1] })).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    expect(h.coord.listGroups()).toEqual([{ groupKey: G, protocolType: '', groupState: 'Empty', groupType: 'classic' }]);
    const r = h.coord.offsetFetch([{ key: G, topics: [{ name: 'orders', partitionIndexes: [1, 5] }] }], { requireStable: false })[0];
    expect(r?.topics[0]?.partitions).toEqual([
      { partitionIndex: 1, committedOffset: 101n, committedLeaderEpoch: 3, metadata: 'm', errorCode: ErrorCode.NONE },
      { partitionIndex: 5, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE },
    ]);
    expect(fetchAll(h)?.topics.map((t) => [t.name, t.partitions.map((p) => p.committedOffset)])).toEqual([['orders', [100n, 101n]]]);
  });

  it('checks generation and membership', () => {
    const h = new Harness();
    expect(commit(h, { gen: 1, memberId: 'x' })).toEqual([ErrorCode.ILLEGAL_GENERATION]); // no such group (< v9)
    const v9 = h.coord.offsetCommit(G, {
      generationIdOrMemberEpoch: 1,
      memberId: 'x',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }],
      apiVersion: 9,
    });
    expect(v9.response.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
    const a = h.joinNew();
    h.advance(3_000);
    expect(commit(h, { gen: 1, memberId: a.memberId })).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]); // CompletingRebalance
    h.sync(a.memberId, 1, []);
    expect(commit(h, { gen: 1, memberId: a.memberId })).toEqual([ErrorCode.NONE]);
    expect(commit(h, { gen: 2, memberId: a.memberId })).toEqual([ErrorCode.ILLEGAL_GENERATION]);
    expect(commit(h, { gen: 1, memberId: 'ghost' })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(commit(h, {})).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]); // admin commit into an active group
  });

  it('cooperative rebalancing: members keep committing with their generation while the group prepares a rebalance', () => {
    const h = new Harness();
    const a = stableClassic(h);
    h.joinNew({ clientId: 'newcomer' }); // starts a rebalance; a has not rejoined yet
    expect(h.heartbeat(a, 1)).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(commit(h, { gen: 1, memberId: a, partitions: [0, 1] })).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    const rejoin = h.join({ memberId: a, protocols: [{ name: 'range', metadata: subscription(['orders']) }] });
    expect(h.joins.get(rejoin)).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2 });
    expect(commit(h, { gen: 1, memberId: a })).toEqual([ErrorCode.REBALANCE_IN_PROGRESS]); // CompletingRebalance
  });

  it('refuses oversized metadata per partition (OFFSET_METADATA_TOO_LARGE)', () => {
    const h = new Harness({ offsetMetadataMaxBytes: 4 });
    expect(commit(h, { metadata: 'toolong' })).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE]);
    expect(fetchAll(h)?.topics).toEqual([]);
  });

  it('fetches many groups at once (v8+)', () => {
    const h = new Harness();
    const other = groupKey('t1/other');
    commit(h, { partitions: [0] });
    commit(h, { partitions: [2] }, other);
    const r = h.coord.offsetFetch(
      [
        { key: G, topics: null },
        { key: other, topics: null },
      ],
      { requireStable: false },
    );
    expect(r.map((g) => g.topics[0]?.partitions[0]?.committedOffset)).toEqual([100n, 102n]);
  });
});

describe('transactional offsets (KIP-447)', () => {
  it('require_stable answers UNSTABLE_OFFSET_COMMIT while a transaction is pending; commit publishes, abort drops', () => {
    const h = new Harness();
    commit(h, { partitions: [0] });
    h.absorb(
      h.coord.txnOffsetCommit(G, {
        producerId: 7n,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 500n, committedLeaderEpoch: 3, committedMetadata: null }] }],
      }),
    );
    expect(fetchAll(h, G, true)?.topics[0]?.partitions[0]?.errorCode).toBe(ErrorCode.UNSTABLE_OFFSET_COMMIT);
    expect(fetchAll(h, G, false)?.topics[0]?.partitions[0]?.committedOffset).toBe(100n);
    h.absorb(h.coord.completeTransaction(G, 7n, { commit: true }));
    expect(fetchAll(h, G, true)?.topics[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, committedOffset: 500n });
    h.absorb(
      h.coord.txnOffsetCommit(G, {
        producerId: 8n,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 900n, committedLeaderEpoch: 3, committedMetadata: null }] }],
      }),
    );
    h.absorb(h.coord.completeTransaction(G, 8n, { commit: false }));
    expect(fetchAll(h, G, true)?.topics[0]?.partitions[0]).toMatchObject({ errorCode: ErrorCode.NONE, committedOffset: 500n });
  });
});

describe('OffsetCommit on KIP-848 groups', () => {
  it('checks the member epoch: STALE_MEMBER_EPOCH, FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID', () => {
    const h = new Harness();
    const cat = topics(['orders', 2]);
    h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat);
    h.cgh({ memberId: 'b', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat);
    expect(commit(h, { gen: 1, memberId: 'a' })).toEqual([ErrorCode.NONE]);
    expect(commit(h, { gen: 2, memberId: 'a' })).toEqual([ErrorCode.FENCED_MEMBER_EPOCH]);
    expect(commit(h, { gen: 1, memberId: 'b' })).toEqual([ErrorCode.STALE_MEMBER_EPOCH]);
    expect(commit(h, { gen: 1, memberId: 'zz' })).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(commit(h, {})).toEqual([ErrorCode.UNKNOWN_MEMBER_ID]);
    expect(h.coord.offsetFetch([{ key: G, topics: null, member: { memberId: 'b', memberEpoch: 1 } }], { requireStable: false })[0]?.errorCode).toBe(
      ErrorCode.STALE_MEMBER_EPOCH,
    );
  });
});

describe('OffsetDelete (KIP-496)', () => {
  it('refuses topics the group consumes, deletes the others', () => {
    const h = new Harness();
    const a = stableClassic(h);
    commit(h, { gen: 1, memberId: a, topic: 'orders' });
    commit(h, { gen: 1, memberId: a, topic: 'old' });
    const r = h.absorb(h.coord.offsetDelete(G, [{ name: 'orders', partitions: [0] }, { name: 'old', partitions: [0] }])).response;
    expect(r.errorCode).toBe(ErrorCode.NONE);
    expect(r.topics.map((t) => t.partitions[0]?.errorCode)).toEqual([ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE]);
    expect(fetchAll(h)?.topics.map((t) => t.name)).toEqual(['orders']);
    expect(h.coord.offsetDelete(groupKey('t1/none'), []).response.errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('non-consumer classic groups with members answer NON_EMPTY_GROUP; KIP-848 groups check subscriptions', () => {
    const h = new Harness();
    const a = h.joinNew({ protocolType: 'connect' });
    h.advance(3_000);
    h.sync(a.memberId, 1, []);
    expect(h.coord.offsetDelete(G, [{ name: 'x', partitions: [0] }]).response.errorCode).toBe(ErrorCode.NON_EMPTY_GROUP);
    const k = groupKey('t1/kip848');
    h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, topics(['orders', 1]), k);
    const r = h.coord.offsetDelete(k, [{ name: 'orders', partitions: [0] }, { name: 'other', partitions: [0] }]).response;
    expect(r.topics.map((t) => t.partitions[0]?.errorCode)).toEqual([ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC, ErrorCode.NONE]);
  });
});

describe('offsets.retention.minutes', () => {
  const day = 24 * 3600_000;
  it('expires offsets of an empty group and then the group; an active group keeps them', () => {
    const h = new Harness({ offsetsRetentionMs: day, offsetsRetentionCheckIntervalMs: 600_000 });
    const active = groupKey('t1/active');
    commit(h, {});
    const a = h.joinNew({ sessionTimeoutMs: 1_800_000 }, active);
    h.advance(3_000);
    h.sync(a.memberId, 1, [], {}, active);
    commit(h, { gen: 1, memberId: a.memberId }, active);
    for (let i = 0; i < 26 * 3; i++) {
      h.advance(20 * 60_000);
      expect(h.heartbeat(a.memberId, 1, null, active)).toBe(ErrorCode.NONE);
    }
    expect(fetchAll(h)?.topics).toEqual([]);
    expect(h.coord.listGroups().map((g) => g.groupKey)).toEqual([active]);
    expect(fetchAll(h, active)?.topics).toHaveLength(1);
  });

  it('a Stable classic consumer group loses offsets of topics it no longer subscribes to', () => {
    const h = new Harness({ offsetsRetentionMs: day });
    const a = h.joinNew({ sessionTimeoutMs: 1_800_000, protocols: [{ name: 'range', metadata: subscription(['orders']) }] });
    h.advance(3_000);
    h.sync(a.memberId, 1, []);
    commit(h, { gen: 1, memberId: a.memberId, topic: 'orders' });
    commit(h, { gen: 1, memberId: a.memberId, topic: 'legacy' });
    for (let i = 0; i < 26 * 3; i++) {
      h.advance(20 * 60_000);
      h.heartbeat(a.memberId, 1);
    }
    expect(fetchAll(h)?.topics.map((t) => t.name)).toEqual(['orders']);
  });

  it('an emptied group counts retention from when it emptied, even for later commits (as Kafka)', () => {
    const h = new Harness({ offsetsRetentionMs: day, offsetsRetentionCheckIntervalMs: 60_000 });
    const a = h.joinNew();
    h.advance(3_000);
    h.sync(a.memberId, 1, []);
    commit(h, { gen: 1, memberId: a.memberId, partitions: [0] });
    h.absorb(h.coord.leaveGroup(G, [{ memberId: a.memberId, groupInstanceId: null }]));
    h.advance(day - 3600_000);
    commit(h, { partitions: [1] }); // an admin commit into the now-empty group
    expect(fetchAll(h)?.topics[0]?.partitions.map((p) => p.partitionIndex)).toEqual([0, 1]);
    h.advance(3600_000 + 60_000);
    expect(fetchAll(h)?.topics).toEqual([]);
    expect(h.coord.listGroups()).toEqual([]); // and the empty group went with its last offsets
  });

  it('honours an explicit retention time (OffsetCommit v2-v4)', () => {
    const h = new Harness({ offsetsRetentionMs: day });
    commit(h, { retention: 3600_000 });
    h.advance(2 * 3600_000);
    expect(fetchAll(h)?.topics).toEqual([]);
  });

  it('KIP-848 groups expire offsets of topics nobody subscribes to any more', () => {
    const h = new Harness({ offsetsRetentionMs: day, consumerSessionTimeoutMs: 3600_000 });
    const cat = topics(['orders', 1]);
    h.cgh({ memberId: 'a', memberEpoch: 0, subscribedTopicNames: ['orders'] }, cat);
    commit(h, { gen: 1, memberId: 'a', topic: 'orders' });
    commit(h, { gen: 1, memberId: 'a', topic: 'legacy' });
    for (let i = 0; i < 60; i++) {
      h.advance(30 * 60_000);
      expect(h.cgh({ memberId: 'a', memberEpoch: 1, topicPartitions: null }, cat).errorCode).toBe(ErrorCode.NONE);
    }
    expect(fetchAll(h)?.topics.map((t) => t.name)).toEqual(['orders']);
  });
});
