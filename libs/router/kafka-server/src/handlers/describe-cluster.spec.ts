import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeClusterResponse } from '@stratus/kafka-messages';
import { tenantClusterId } from '@stratus/router-cluster-view';
import { describeClusterHandler } from './describe-cluster';
import { clusterFixture, roundTrip } from './metadata-handlers.testkit';
import { CLUSTER_OPERATIONS } from './metadata-topics';

describe('DescribeCluster', () => {
  it.each([0, 1, 2])('v%i: the live routers as unfenced brokers with racks, the tenant’s cluster id, this router as controller', async (version) => {
    const res = await roundTrip<DescribeClusterResponse>(describeClusterHandler({ view: clusterFixture() }), version, { includeClusterAuthorizedOperations: false, endpointType: 1, includeFencedBrokers: true });
    expect(res).toMatchObject({ errorCode: 0, errorMessage: null, clusterId: tenantClusterId('t1'), controllerId: 1, clusterAuthorizedOperations: -2147483648 });
    expect(res.brokers.map((b) => [b.brokerId, b.host, b.port, b.rack])).toEqual([1, 2, 3, 4, 5].map((n) => [n, `router-${n}.example`, 9092, n <= 3 ? 'a' : 'b']));
    if (version >= 2) expect(res.brokers.every((b) => b.isFenced === false)).toBe(true);
  });

  it('differs per tenant only in the cluster id', async () => {
    const view = clusterFixture();
    const a = await roundTrip<DescribeClusterResponse>(describeClusterHandler({ view }), 1, { includeClusterAuthorizedOperations: false }, 'tenant-a');
    const b = await roundTrip<DescribeClusterResponse>(describeClusterHandler({ view }), 1, { includeClusterAuthorizedOperations: false }, 'tenant-b');
    expect(a.clusterId).not.toBe(b.clusterId);
    expect({ ...a, clusterId: '' }).toEqual({ ...b, clusterId: '' });
  });

  it('reports cluster operations when asked, and refuses the controller endpoint type', async () => {
    const handler = describeClusterHandler({ view: clusterFixture() });
    expect((await roundTrip<DescribeClusterResponse>(handler, 1, { includeClusterAuthorizedOperations: true })).clusterAuthorizedOperations).toBe(CLUSTER_OPERATIONS);
    const controller = await roundTrip<DescribeClusterResponse>(handler, 1, { includeClusterAuthorizedOperations: false, endpointType: 2 });
    expect(controller).toMatchObject({ errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE, brokers: [], endpointType: 2 });
  });
});
