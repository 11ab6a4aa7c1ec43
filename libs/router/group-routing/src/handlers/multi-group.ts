// A group API naming several groups (OffsetFetch v8+, DescribeGroups, ConsumerGroupDescribe,
// DeleteGroups): the groups are split by coordinator broker, each broker gets a request with its
// groups only, and the per-group results are put back in the client's order with the client's
// group ids. A group whose coordinator is unknown or unreachable fails alone.
import { ErrorCode } from '@stratus/kafka-errors';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { callBroker, coordinatorNode, type GroupRoutingDeps } from '../coordinator-call';
import { NOT_AUTHENTICATED, tenantOf, toInternal } from '../tenant';

export interface MultiGroupApi<Req, Res, Item, Result> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  items(request: Req): readonly Item[];
  groupId(item: Item): string;
  withGroupId(item: Item, groupId: string): Item;
  /** The request carrying only `items` (to one broker). */
  request(original: Req, items: Item[]): Req;
  results(response: Res): readonly Result[];
  withResultGroupId(result: Result, groupId: string): Result;
  errorResult(groupId: string, errorCode: ErrorCode, item: Item): Result;
  response(original: Req, results: Result[]): Res;
}

export function multiGroupHandler<Req, Res, Item, Result>(deps: GroupRoutingDeps, api: MultiGroupApi<Req, Res, Item, Result>): ApiHandler {
  return {
    apiKey: api.apiKey,
    name: api.name,
    minVersion: api.minVersion,
    maxVersion: api.maxVersion,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenantId = tenantOf(ctx);
      if (tenantId === undefined) return NOT_AUTHENTICATED;
      const request = raw as Req;
      const items = api.items(request);
      const results: (Result | undefined)[] = new Array(items.length);
      const byNode = new Map<string, number[]>();
      items.forEach((item, i) => {
        const node = coordinatorNode(deps, tenantId, toInternal(tenantId, api.groupId(item)));
        if (!node.ok) results[i] = api.errorResult(api.groupId(item), node.errorCode, item);
        else byNode.set(node.nodeId, [...(byNode.get(node.nodeId) ?? []), i]);
      });
      await Promise.all(
        [...byNode.entries()].map(async ([nodeId, indexes]) => {
          const sub = indexes.map((i) => api.withGroupId(items[i] as Item, toInternal(tenantId, api.groupId(items[i] as Item))));
          const r = await callBroker<Res>(deps, ctx, tenantId, nodeId, api.request(request, sub) as object, deps.requestTimeoutMs);
          const answered = r.ok ? api.results(r.response) : [];
          indexes.forEach((i, k) => {
            const item = items[i] as Item;
            const clientId = api.groupId(item);
            const result = answered[k];
            // Results come back in request order; a short or failed answer fails the rest.
            if (!r.ok) results[i] = api.errorResult(clientId, r.errorCode, item);
            else if (result === undefined) results[i] = api.errorResult(clientId, ErrorCode.COORDINATOR_NOT_AVAILABLE, item);
            else results[i] = api.withResultGroupId(result, clientId);
          });
        }),
      );
      return { response: api.response(request, results as Result[]) };
    },
  };
}
