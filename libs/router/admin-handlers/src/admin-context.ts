// What every admin handler shares: the metadata client, the optional cluster view, deadlines, and
// the tenant of the connection. The tenant is always the authenticated principal's: a request can
// never name another tenant, so another tenant's topic is simply one that does not exist.
import type { RequestContext } from '@stratus/router-kafka-server';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { Logger } from '@stratus/platform-logging';
import type { AdminMetadataClient } from './metadata-call';

export interface AdminContext {
  readonly metadata: AdminMetadataClient;
  readonly view: ClusterView | undefined;
  readonly logger: Logger;
  /** Deadline of each metadata call. */
  readonly metadataTimeoutMs: number;
  /** Longest wait for the cluster view to show a change this router just made. */
  readonly catchUpTimeoutMs: number;
  /** The path DescribeLogDirs reports for the synthesised log directory. */
  readonly logDirPath: string;
}

/** The tenant of an authenticated connection, or undefined (the listener only dispatches after SASL). */
export function tenantOf(ctx: RequestContext): string | undefined {
  return ctx.sasl.principal?.tenantId;
}

/** The violation returned when a handler is somehow reached before authentication. */
export const NOT_AUTHENTICATED = { violation: 'admin API reached without an authenticated tenant' } as const;

/** Names that occur more than once (Kafka answers every entry of such a name with INVALID_REQUEST). */
export function duplicatesOf(names: Iterable<string>): Set<string> {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const n of names) (seen.has(n) ? dup : seen).add(n);
  return dup;
}

/**
 * Waits until the router's cluster view shows what metadata just committed, so the client that
 * created (or deleted) a topic sees it in its very next Metadata request. The change is already
 * durable: a slow view is logged, never reported to the client as a failure.
 */
export async function catchUpView(admin: AdminContext, ctx: RequestContext, requestTimeoutMs: number): Promise<void> {
  if (!admin.view) return;
  const timeoutMs = requestTimeoutMs > 0 ? Math.min(requestTimeoutMs, admin.catchUpTimeoutMs) : admin.catchUpTimeoutMs;
  try {
    await admin.view.catchUp(timeoutMs);
  } catch (err) {
    ctx.logger.warn({ err }, 'cluster view did not catch up after an admin change');
  }
}

/**
 * The deadline of a controller request's metadata call: the client's timeout_ms when it set one
 * (Kafka answers REQUEST_TIMED_OUT once it passes, and the change may still complete, as here),
 * never longer than the router's own metadata deadline.
 */
export function controllerDeadlineMs(admin: AdminContext, requestTimeoutMs: number): number {
  return requestTimeoutMs > 0 ? Math.min(requestTimeoutMs, admin.metadataTimeoutMs) : admin.metadataTimeoutMs;
}
