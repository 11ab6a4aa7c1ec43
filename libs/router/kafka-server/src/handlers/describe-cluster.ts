// DescribeCluster (key 60, v0-v2, KIP-700): the tenant's cluster as Metadata shows it — the live
// routers as brokers (never fenced: a router that stops heartbeating simply leaves the list), the
// tenant's cluster id, and this router as controller.
import { ErrorCode, describeError } from '@stratus/kafka-errors';
import type { DescribeClusterRequest, DescribeClusterResponse } from '@stratus/kafka-messages';
import { tenantClusterId, type ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from './handler';
import { CLUSTER_OPERATIONS, NOT_AUTHENTICATED, OPERATIONS_NOT_REQUESTED, tenantOf } from './metadata-topics';

/** KIP-919 endpoint types: routers are brokers; there is no controller endpoint to describe. */
const ENDPOINT_BROKERS = 1;

export function describeClusterHandler(options: { readonly view: ClusterView }): ApiHandler {
  const { view } = options;
  return {
    apiKey: 60,
    name: 'DescribeCluster',
    minVersion: 0,
    maxVersion: 2,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DescribeClusterRequest;
      const endpointType = ctx.header.apiVersion >= 1 ? (request.endpointType ?? ENDPOINT_BROKERS) : ENDPOINT_BROKERS;
      const base = { throttleTimeMs: 0, endpointType, clusterId: tenantClusterId(tenant), clusterAuthorizedOperations: OPERATIONS_NOT_REQUESTED };
      if (endpointType !== ENDPOINT_BROKERS) {
        // As a Kafka broker answers a request meant for a controller endpoint.
        const response: DescribeClusterResponse = {
          ...base,
          errorCode: ErrorCode.UNSUPPORTED_ENDPOINT_TYPE,
          errorMessage: `${describeError(ErrorCode.UNSUPPORTED_ENDPOINT_TYPE).message} This endpoint serves brokers (endpoint type 1) only.`,
          controllerId: -1,
          brokers: [],
        };
        return { response };
      }
      const response: DescribeClusterResponse = {
        ...base,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        controllerId: view.self().kafkaNodeId,
        brokers: view.routers().map((r) => ({ brokerId: r.kafkaNodeId, host: r.host, port: r.port, rack: r.availabilityZone || null, isFenced: false })),
        clusterAuthorizedOperations: request.includeClusterAuthorizedOperations ? CLUSTER_OPERATIONS : OPERATIONS_NOT_REQUESTED,
      };
      return { response };
    },
  };
}
