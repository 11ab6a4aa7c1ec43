// What an API's authorization rule is: given the decoded request and a way to ask for decisions,
// it either answers outright (every item denied in a way the API reports at the top level) or
// passes on a request with the denied items removed, plus a step that adds those items back into
// the handler's response with their authorization errors. Handlers never see denied items, so
// they need no ACL code; Kafka answers each denied topic/group/partition individually the same way.
import type { Operation, ResourceType } from '@stratus/kafka-acls';
import type { OperationsResourceType } from '../authorized-operations';
import { ErrorCode } from '@stratus/kafka-errors';

export interface AccessCheck {
  /** The request's API version (some answers differ by version). */
  readonly apiVersion: number;
  allowed(operation: Operation, resourceType: ResourceType, name: string): boolean;
  /** KIP-430: the bit field of the operations allowed on this resource (0 when nothing is). */
  authorizedOperations(resourceType: OperationsResourceType, name: string): number;
  /** KIP-679: allowed on at least one resource of the type. */
  anyOfType(operation: Operation, resourceType: ResourceType): boolean;
  /** Name of a topic id of the connection's tenant; undefined when unknown (the handler answers UNKNOWN_TOPIC_ID). */
  topicNameById(topicId: string): string | undefined;
  /** Whether the tenant has this topic (Metadata auto-creation needs CREATE only for missing topics). */
  topicExists(name: string): boolean;
}

export type RuleOutcome =
  | { readonly kind: 'pass'; readonly request: unknown; readonly complete?: (response: unknown) => unknown }
  | { readonly kind: 'answer'; readonly response: unknown };

export type AclRule = (request: never, check: AccessCheck) => RuleOutcome;

export const TOPIC_DENIED = ErrorCode.TOPIC_AUTHORIZATION_FAILED;
export const GROUP_DENIED = ErrorCode.GROUP_AUTHORIZATION_FAILED;
export const CLUSTER_DENIED = ErrorCode.CLUSTER_AUTHORIZATION_FAILED;
export const TXN_DENIED = ErrorCode.TRANSACTIONAL_ID_AUTHORIZATION_FAILED;

export const pass = (request: unknown, complete?: (response: unknown) => unknown): RuleOutcome => ({ kind: 'pass', request, complete });
export const answer = (response: unknown): RuleOutcome => ({ kind: 'answer', response });

export function split<T>(items: readonly T[], allowed: (item: T) => boolean): { kept: T[]; denied: T[] } {
  const kept: T[] = [];
  const denied: T[] = [];
  for (const item of items) (allowed(item) ? kept : denied).push(item);
  return { kept, denied };
}

/** Adds entries to a list field of the response (the handler's entries keep their order first). */
export function appendTo<R>(field: keyof R & string, extra: readonly unknown[]): (response: unknown) => unknown {
  if (extra.length === 0) return (r) => r;
  return (response) => {
    const r = response as Record<string, unknown>;
    const current = Array.isArray(r[field]) ? (r[field] as unknown[]) : [];
    return { ...r, [field]: [...current, ...extra] };
  };
}

/** A rule that needs one operation on the CLUSTER resource for the whole request. */
export function clusterAllowed(check: AccessCheck, operation: Operation): boolean {
  return check.allowed(operation, 'CLUSTER', 'kafka-cluster');
}
