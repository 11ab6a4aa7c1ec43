// FindCoordinator (key 10, v0-v6): the coordinator of a group or transactional id is, to the
// client, a router of the answering router's AZ (clients connect to routers of their own AZ, so
// this keeps them there); that router forwards the group / transaction APIs to the coordinator
// broker. The choice is deterministic per (tenant, key) so every router of the AZ agrees and
// a group's members meet on one router. v4+ batch several keys in one request (KIP-699).
import { ErrorCode, describeError } from '@stratus/kafka-errors';
import type { FindCoordinatorRequest, FindCoordinatorResponse, FindCoordinatorResponseCoordinator } from '@stratus/kafka-messages';
import { coordinatorRouter, type ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from './handler';
import { NOT_AUTHENTICATED, leaderCandidates, tenantOf } from './metadata-topics';

/** CoordinatorType: GROUP = 0, TRANSACTION = 1 (SHARE = 2, KIP-932, is not served). */
const GROUP = 0;
const TRANSACTION = 1;

export function findCoordinatorHandler(options: { readonly view: ClusterView }): ApiHandler {
  const { view } = options;

  const locate = (tenant: string, key: string, keyType: number): FindCoordinatorResponseCoordinator => {
    if (keyType !== GROUP && keyType !== TRANSACTION) {
      return { key, nodeId: -1, host: '', port: -1, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unsupported coordinator key type ${keyType}.` };
    }
    const router = coordinatorRouter(leaderCandidates(view), tenant, key);
    if (!router) {
      return { key, nodeId: -1, host: '', port: -1, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: describeError(ErrorCode.COORDINATOR_NOT_AVAILABLE).message };
    }
    return { key, nodeId: router.kafkaNodeId, host: router.host, port: router.port, errorCode: ErrorCode.NONE, errorMessage: null };
  };

  return {
    apiKey: 10,
    name: 'FindCoordinator',
    minVersion: 0,
    maxVersion: 6,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as FindCoordinatorRequest;
      const version = ctx.header.apiVersion;
      // v0 has no key type: it is always a group.
      const keyType = version >= 1 ? (request.keyType ?? GROUP) : GROUP;
      if (version >= 4) {
        const coordinators = (request.coordinatorKeys ?? []).map((key) => locate(tenant, key, keyType));
        const response: FindCoordinatorResponse = { throttleTimeMs: 0, coordinators };
        return { response };
      }
      const c = locate(tenant, request.key ?? '', keyType);
      const response: FindCoordinatorResponse = { throttleTimeMs: 0, errorCode: c.errorCode, errorMessage: c.errorMessage, nodeId: c.nodeId, host: c.host, port: c.port };
      return { response };
    },
  };
}
