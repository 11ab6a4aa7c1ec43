// guardHandlers(): wraps the router's API handlers so every request is authorized against the
// connection's tenant ACLs before its handler sees it (issue 8 item 3). One table (rules/table.ts)
// says what each API needs; a handler gets the request without its denied items and the guard
// adds their authorization errors to its response, so handlers carry no ACL code. The same way,
// a second table (rules/authorized-operations.ts) writes the KIP-430 authorized_operations fields
// from the principal's ACLs into the answers that carry them.
import { AclIndex, authorize, authorizeAnyOfType, userPrincipal, type Requestor } from '@stratus/kafka-acls';
import type { Logger } from '@stratus/platform-logging';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler, HandlerResult, HandlerViolation, RequestContext } from '@stratus/router-kafka-server';
import type { AclAuthority } from './authority';
import { authorizedOperations } from './authorized-operations';
import type { AccessCheck } from './rules/rule';
import { OPERATIONS_STEPS } from './rules/authorized-operations';
import { ACL_RULES } from './rules/table';

export interface AclGuardOptions {
  readonly authority: AclAuthority;
  /** Resolves topic ids and tells whether a topic exists (Metadata auto-creation). */
  readonly view?: ClusterView;
  /**
   * How long a request waits for the first ACL snapshot after the router starts; past it the
   * request is denied (fail closed: a tenant's DENY must never be skipped). Default 10 s.
   */
  readonly readyTimeoutMs?: number;
  readonly logger?: Logger;
}

export const ACL_GUARD_DEFAULTS = { readyTimeoutMs: 10_000 } as const;

function topicIdBytes(id: string): Buffer | undefined {
  const hex = id.replace(/-/g, '');
  return /^[0-9a-f]{32}$/.test(hex) ? Buffer.from(hex, 'hex') : undefined;
}

/** The decisions one request may ask for, bound to its tenant and principal. */
export function accessCheck(options: { index: AclIndex; requestor: Requestor; apiVersion: number; tenantId: string; view?: ClusterView; denyAll?: boolean }): AccessCheck {
  const { index, requestor, view, tenantId } = options;
  return {
    apiVersion: options.apiVersion,
    allowed: (operation, resourceType, name) => !options.denyAll && authorize(index, requestor, { operation, resourceType, name }) === 'ALLOWED',
    authorizedOperations: (resourceType, name) => (options.denyAll ? 0 : authorizedOperations(index, requestor, { resourceType, name })),
    anyOfType: (operation, resourceType) => !options.denyAll && authorizeAnyOfType(index, requestor, { operation, resourceType }) === 'ALLOWED',
    topicNameById: (id) => {
      const bytes = topicIdBytes(id);
      return bytes && view ? view.topicById(tenantId, bytes)?.name : undefined;
    },
    topicExists: (name) => (view ? view.topicByName(tenantId, name) !== undefined : true),
  };
}

export function guardHandlers(handlers: readonly ApiHandler[], options: AclGuardOptions): ApiHandler[] {
  return handlers.map((handler) => guardHandler(handler, options));
}

export function guardHandler(handler: ApiHandler, options: AclGuardOptions): ApiHandler {
  const rule = ACL_RULES.get(handler.apiKey);
  const operationsStep = OPERATIONS_STEPS.get(handler.apiKey);
  if ((!rule && !operationsStep) || handler.beforeAuthentication) return handler;
  const readyTimeoutMs = options.readyTimeoutMs ?? ACL_GUARD_DEFAULTS.readyTimeoutMs;
  const handle = async (ctx: RequestContext, request: unknown): Promise<HandlerResult | HandlerViolation> => {
    const principal = ctx.sasl.principal;
    // The listener dispatches these APIs only after authentication; the handler reports the rest.
    if (!principal) return handler.handle(ctx, request);
    const ready = await options.authority.ready(readyTimeoutMs);
    if (!ready) ctx.logger.warn('ACLs not loaded from metadata yet: request denied');
    const index = options.authority.indexFor(principal.tenantId);
    // A binding's host matches the client's address (Kafka's AclAuthorizer); when the address is
    // unknown only host "*" bindings apply, so a host-specific DENY is never silently skipped for
    // a known client.
    const requestor: Requestor = {
      principal: userPrincipal(principal.username),
      superUser: ready && options.authority.isSuperUser(principal.username),
      ...(ctx.clientHost !== undefined ? { host: ctx.clientHost } : {}),
    };
    const check = accessCheck({ index, requestor, apiVersion: ctx.header.apiVersion, tenantId: principal.tenantId, view: options.view, denyAll: !ready });
    // Fast path: nothing can be denied (no bindings: allow.everyone.if.no.acl.found; super user).
    const unrestricted = ready && (requestor.superUser === true || index.size === 0);
    let result: HandlerResult | HandlerViolation;
    if (!rule || unrestricted) {
      result = await handler.handle(ctx, request);
    } else {
      const outcome = rule(request as never, check);
      if (outcome.kind === 'answer') {
        ctx.logger.debug({ principal: requestor.principal }, 'request denied by ACLs');
        return { response: outcome.response };
      }
      result = await handler.handle(ctx, outcome.request);
      if (!('violation' in result) && !result.noResponse && outcome.complete) result = { ...result, response: outcome.complete(result.response) };
    }
    // KIP-430 fields reflect this principal's ACLs, on the fast path too (the handler's own value
    // assumes no ACLs; a super user's set is the same, computed rather than assumed).
    if (!operationsStep || 'violation' in result || result.noResponse) return result;
    return { ...result, response: operationsStep(request as never, result.response as never, check) };
  };
  return {
    apiKey: handler.apiKey,
    name: handler.name,
    minVersion: handler.minVersion,
    maxVersion: handler.maxVersion,
    beforeAuthentication: handler.beforeAuthentication,
    handle,
  };
}
