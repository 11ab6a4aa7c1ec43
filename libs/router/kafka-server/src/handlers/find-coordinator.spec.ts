import { ErrorCode } from '@stratus/kafka-errors';
import type { FindCoordinatorResponse } from '@stratus/kafka-messages';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { findCoordinatorHandler } from './find-coordinator';
import { clusterFixture, roundTrip, router } from './metadata-handlers.testkit';

const SAME_AZ = [1, 2, 3];

describe('FindCoordinator', () => {
  it.each([0, 1, 2, 3])('v%i: one key answered with a router of this router’s AZ', async (version) => {
    const res = await roundTrip<FindCoordinatorResponse>(findCoordinatorHandler({ view: clusterFixture() }), version, { key: 'my-group', keyType: 0 });
    expect(res.errorCode).toBe(0);
    expect(SAME_AZ).toContain(res.nodeId);
    expect(res.host).toBe(`router-${res.nodeId}.example`);
    expect(res.port).toBe(9092);
  });

  it.each([4, 5, 6])('v%i: batched keys, groups and transactions, each answered the same on every call', async (version) => {
    const handler = findCoordinatorHandler({ view: clusterFixture() });
    const keys = Array.from({ length: 12 }, (_, i) => `group-${i}`);
    const groups = await roundTrip<FindCoordinatorResponse>(handler, version, { keyType: 0, coordinatorKeys: keys });
    expect(groups.coordinators?.map((c) => c.key)).toEqual(keys);
    expect(groups.coordinators?.every((c) => c.errorCode === 0 && SAME_AZ.includes(c.nodeId))).toBe(true);
    // Spread over the AZ's routers, not all on one.
    expect(new Set(groups.coordinators?.map((c) => c.nodeId)).size).toBeGreaterThan(1);
    const again = await roundTrip<FindCoordinatorResponse>(handler, version, { keyType: 0, coordinatorKeys: keys });
    expect(again.coordinators).toEqual(groups.coordinators);
    const txn = await roundTrip<FindCoordinatorResponse>(handler, version, { keyType: 1, coordinatorKeys: ['tx-1'] });
    expect(txn.coordinators?.[0]).toMatchObject({ key: 'tx-1', errorCode: 0 });
  });

  it('answers a key type it does not serve (share groups, unknown) with INVALID_REQUEST', async () => {
    const handler = findCoordinatorHandler({ view: clusterFixture() });
    const share = await roundTrip<FindCoordinatorResponse>(handler, 6, { keyType: 2, coordinatorKeys: ['g:t:0'] });
    expect(share.coordinators?.[0]).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1 });
    const unknown = await roundTrip<FindCoordinatorResponse>(handler, 3, { key: 'g', keyType: 9 });
    expect(unknown).toMatchObject({ errorCode: ErrorCode.INVALID_REQUEST, nodeId: -1 });
  });

  it('falls back to every router when its own AZ has no other router listed', async () => {
    const view = new InMemoryClusterView({ self: router(7, 'z') });
    const res = await roundTrip<FindCoordinatorResponse>(findCoordinatorHandler({ view }), 3, { key: 'g', keyType: 0 });
    expect(res).toMatchObject({ errorCode: 0, nodeId: 7 });
  });
});
