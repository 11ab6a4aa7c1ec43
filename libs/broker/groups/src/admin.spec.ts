import { ErrorCode } from '@stratus/kafka-errors';
import { Harness, topics } from './harness.testkit';
import { inTenant, splitGroupKey, tenantGroupKey } from './tenant';
import { decodeRecord } from './records/records';

describe('tenant scoping', () => {
  it('namespaces and un-namespaces group ids (group ids may contain "/")', () => {
    const k = tenantGroupKey('t-42', 'billing/eu');
    expect(k).toBe('t-42/billing/eu');
    expect(splitGroupKey(k)).toEqual({ tenant: 't-42', groupId: 'billing/eu' });
    expect(() => tenantGroupKey('a/b', 'g')).toThrow();
    expect(() => tenantGroupKey('', 'g')).toThrow();
  });

  it('ListGroups shows a tenant only its own groups', () => {
    const h = new Harness();
    const mine = tenantGroupKey('t1', 'g');
    const theirs = tenantGroupKey('t10', 'g');
    h.joinNew({}, mine);
    h.cgh({ memberId: 'x', memberEpoch: 0, subscribedTopicNames: ['a'] }, topics(['a', 1]), theirs);
    expect(h.coord.listGroups({ keyFilter: inTenant('t1') }).map((g) => g.groupKey)).toEqual([mine]);
    expect(h.coord.listGroups({ keyFilter: inTenant('t10') }).map((g) => g.groupKey)).toEqual([theirs]);
  });
});

describe('ListGroups / DescribeGroups / DeleteGroups', () => {
  function fixture() {
    const h = new Harness();
    const classic = tenantGroupKey('t1', 'classic');
    const consumer = tenantGroupKey('t1', 'kip848');
    const empty = tenantGroupKey('t1', 'empty');
    const a = h.joinNew({}, classic);
    h.advance(3_000);
    h.sync(a.memberId, 1, [], {}, classic);
    h.cgh({ memberId: 'x', memberEpoch: 0, subscribedTopicNames: ['a'] }, topics(['a', 1]), consumer);
    h.coord.offsetCommit(empty, { generationIdOrMemberEpoch: -1, memberId: '', groupInstanceId: null, retentionTimeMs: -1, topics: [] });
    return { h, classic, consumer, empty, a };
  }

  it('filters by state and type, case-insensitively (KIP-518, KIP-848)', () => {
    const { h, classic, consumer, empty } = fixture();
    expect(h.coord.listGroups()).toEqual([
      { groupKey: classic, protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      { groupKey: empty, protocolType: '', groupState: 'Empty', groupType: 'classic' },
      { groupKey: consumer, protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
    ]);
    expect(h.coord.listGroups({ statesFilter: ['stable'] }).map((g) => g.groupKey)).toEqual([classic, consumer]);
    expect(h.coord.listGroups({ typesFilter: ['CONSUMER'] }).map((g) => g.groupKey)).toEqual([consumer]);
    expect(h.coord.listGroups({ statesFilter: ['Empty'], typesFilter: ['classic'] }).map((g) => g.groupKey)).toEqual([empty]);
  });

  it('DescribeGroups shows classic groups; unknown and KIP-848 groups are GROUP_ID_NOT_FOUND', () => {
    const { h, classic, consumer, a } = fixture();
    const [c, k, u] = h.coord.describeGroups([classic, consumer, tenantGroupKey('t1', 'nope')]);
    expect(c).toMatchObject({ errorCode: ErrorCode.NONE, groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(c?.members.map((m) => m.memberId)).toEqual([a.memberId]);
    expect(k).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupState: 'Dead' });
    expect(u).toMatchObject({ errorCode: ErrorCode.GROUP_ID_NOT_FOUND, groupState: 'Dead' });
  });

  it('DeleteGroups: NON_EMPTY_GROUP, GROUP_ID_NOT_FOUND, and deletion with tombstones', () => {
    const { h, classic, consumer, empty } = fixture();
    h.coord.offsetCommit(empty, {
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      retentionTimeMs: -1,
      topics: [{ name: 'a', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, committedMetadata: null }] }],
    });
    const r = h.coord.deleteGroups([classic, consumer, empty, tenantGroupKey('t1', 'nope')]);
    expect(r.response.map((x) => x.errorCode)).toEqual([ErrorCode.NON_EMPTY_GROUP, ErrorCode.NON_EMPTY_GROUP, ErrorCode.NONE, ErrorCode.GROUP_ID_NOT_FOUND]);
    expect(r.records.map((x) => decodeRecord(x)).map((m) => [m.type, m.value])).toEqual([
      ['offset', null],
      ['classic-group', null],
    ]);
    expect(h.coord.listGroups().map((g) => g.groupKey)).toEqual([classic, consumer]);
    // Once its member leaves, the KIP-848 group can be deleted too.
    h.cgh({ memberId: 'x', memberEpoch: -1 }, topics(['a', 1]), consumer);
    expect(h.coord.deleteGroups([consumer]).response[0]?.errorCode).toBe(ErrorCode.NONE);
  });
});
