// A group API about one group (JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit,
// OffsetDelete, ConsumerGroupHeartbeat, OffsetFetch v0-7): namespace the group id, forward the
// whole request to the group's coordinator broker, return its answer (which names no group).
import type { ErrorCode } from '@stratus/kafka-errors';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { callBroker, coordinatorNode, type GroupRoutingDeps } from '../coordinator-call';
import { NOT_AUTHENTICATED, tenantOf, toInternal } from '../tenant';

export interface SingleGroupApi<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  groupId(request: Req, version: number): string;
  withGroupId(request: Req, internal: string, version: number): Req;
  /** The response a client gets when the request could not reach a coordinator. */
  errorResponse(request: Req, errorCode: ErrorCode, version: number): Res;
  /** How long the broker may take; long for requests parked during a rebalance. */
  timeoutMs?(request: Req, deps: GroupRoutingDeps, version: number): number;
  /** Rewrites a response before it goes back (only OffsetFetch v8+ names groups; not here). */
  outbound?(response: Res, tenantId: string): Res;
}

export function singleGroupHandler<Req, Res>(deps: GroupRoutingDeps, api: SingleGroupApi<Req, Res>): ApiHandler {
  return {
    apiKey: api.apiKey,
    name: api.name,
    minVersion: api.minVersion,
    maxVersion: api.maxVersion,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenantId = tenantOf(ctx);
      if (tenantId === undefined) return NOT_AUTHENTICATED;
      const request = raw as Req;
      const version = ctx.header.apiVersion;
      const internal = toInternal(tenantId, api.groupId(request, version));
      const node = coordinatorNode(deps, tenantId, internal);
      if (!node.ok) return { response: api.errorResponse(request, node.errorCode, version) };
      const timeoutMs = api.timeoutMs?.(request, deps, version) ?? deps.requestTimeoutMs;
      const r = await callBroker<Res>(deps, ctx, tenantId, node.nodeId, api.withGroupId(request, internal, version) as object, timeoutMs);
      if (!r.ok) return { response: api.errorResponse(request, r.errorCode, version) };
      return { response: api.outbound ? api.outbound(r.response, tenantId) : r.response };
    },
  };
}
