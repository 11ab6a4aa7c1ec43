// One handler per group API key (conventions: decode → check → delegate → respond). A handler
// sees the request decoded at the client's version in the generated (newest-shape) type and
// returns the response in that shape; the dispatcher encodes it at the same version.
import { ErrorCode } from '@stratus/kafka-errors';
import { groupKey, type GroupKey } from '@stratus/broker-groups';
import type { CoordinatorRuntime } from '../runtime';

export interface GroupApiContext {
  readonly runtime: CoordinatorRuntime;
  /** The tenant the router authenticated; group ids in the body are already `<tenant>/<group>`. */
  readonly tenantId: string;
  readonly apiVersion: number;
  readonly clientId: string;
  readonly clientHost: string;
}

export interface GroupApi<Req, Res> {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  handle(ctx: GroupApiContext, request: Req): Promise<Res>;
}

/** Erases the message types for the dispatch table; each handler is typed where it is defined. */
export type AnyGroupApi = GroupApi<never, unknown>;

/**
 * The internal key of a group id from the body, or undefined when the id is not in the caller's
 * tenant. The router always namespaces ids, so this only trips on a router bug; the answer is then
 * GROUP_AUTHORIZATION_FAILED, never another tenant's data.
 */
export function keyOf(ctx: GroupApiContext, groupId: string): GroupKey | undefined {
  return groupId.startsWith(`${ctx.tenantId}/`) ? groupKey(groupId) : undefined;
}

export const FOREIGN_GROUP = ErrorCode.GROUP_AUTHORIZATION_FAILED;
