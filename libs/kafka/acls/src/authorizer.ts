// The authorization decision, with the semantics of Kafka's StandardAuthorizer (KIP-801) and the
// older AclAuthorizer:
//   - a binding applies to a resource when its pattern is the literal name, the literal wildcard
//     "*", or a prefix of the name (PREFIXED, KIP-290); to a principal when it names it or
//     "User:*"; to a host when it names it or "*";
//   - any applicable DENY for the operation (or ALL) wins over every ALLOW;
//   - an ALLOW for the operation, ALL, or an operation implying it (READ/WRITE/DELETE/ALTER imply
//     DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS) allows;
//   - when no binding at all (any principal, any operation) applies to the resource, the answer
//     is allow.everyone.if.no.acl.found — ALLOWED by default in Stratus, per tenant;
//   - super users are always allowed.
// Pure and synchronous: callers hold an AclIndex per tenant and rebuild it when bindings change.
import { WILDCARD, type AclBinding, type Operation, type ResourceType } from './model';

export type Decision = 'ALLOWED' | 'DENIED';

export interface Action {
  readonly operation: Operation;
  readonly resourceType: ResourceType;
  readonly name: string;
}

export interface Requestor {
  /** e.g. `User:ak-123` */
  readonly principal: string;
  /** The client's address; undefined when unknown (then only host "*" bindings apply). */
  readonly host?: string;
  readonly superUser?: boolean;
}

export interface AuthorizerOptions {
  /** Kafka's allow.everyone.if.no.acl.found; default true. */
  readonly allowIfNoAclFound?: boolean;
}

const WILDCARD_PRINCIPAL = 'User:*';

/** Operations an ALLOW on `granted` also allows (Kafka's implied operations). */
function allowCovers(granted: Operation, wanted: Operation): boolean {
  if (granted === wanted || granted === 'ALL') return true;
  if (wanted === 'DESCRIBE') return granted === 'READ' || granted === 'WRITE' || granted === 'DELETE' || granted === 'ALTER';
  if (wanted === 'DESCRIBE_CONFIGS') return granted === 'ALTER_CONFIGS';
  return false;
}

/** DENY has no implications: a DENY READ does not deny DESCRIBE (as Kafka). */
function denyCovers(denied: Operation, wanted: Operation): boolean {
  return denied === wanted || denied === 'ALL';
}

interface TypeIndex {
  readonly literal: Map<string, AclBinding[]>;
  readonly prefixed: Map<string, AclBinding[]>;
  /** Distinct prefix lengths present, so a lookup tries only those. */
  readonly prefixLengths: number[];
  readonly all: AclBinding[];
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

/** The bindings of one tenant, indexed by resource type, literal name and prefix. */
export class AclIndex {
  private readonly byType = new Map<ResourceType, TypeIndex>();
  readonly size: number;

  constructor(bindings: Iterable<AclBinding>) {
    let size = 0;
    for (const b of bindings) {
      size++;
      let idx = this.byType.get(b.resourceType);
      if (!idx) {
        idx = { literal: new Map(), prefixed: new Map(), prefixLengths: [], all: [] };
        this.byType.set(b.resourceType, idx);
      }
      idx.all.push(b);
      if (b.patternType === 'PREFIXED') {
        if (!idx.prefixed.has(b.name)) idx.prefixLengths.push(b.name.length);
        push(idx.prefixed, b.name, b);
      } else if (b.patternType === 'LITERAL') {
        push(idx.literal, b.name, b);
      }
    }
    this.size = size;
  }

  /** Every binding whose pattern applies to this resource, whoever it is for. */
  applicable(resourceType: ResourceType, name: string): AclBinding[] {
    const idx = this.byType.get(resourceType);
    if (!idx) return [];
    const out: AclBinding[] = [...(idx.literal.get(name) ?? [])];
    if (name !== WILDCARD) out.push(...(idx.literal.get(WILDCARD) ?? []));
    for (const len of idx.prefixLengths) {
      if (len <= name.length) out.push(...(idx.prefixed.get(name.slice(0, len)) ?? []));
    }
    return out;
  }

  ofType(resourceType: ResourceType): readonly AclBinding[] {
    return this.byType.get(resourceType)?.all ?? [];
  }
}

export const EMPTY_ACL_INDEX = new AclIndex([]);

function appliesTo(b: AclBinding, who: Requestor): boolean {
  if (b.principal !== who.principal && b.principal !== WILDCARD_PRINCIPAL) return false;
  return b.host === WILDCARD || (who.host !== undefined && b.host === who.host);
}

export function authorize(index: AclIndex, who: Requestor, action: Action, options: AuthorizerOptions = {}): Decision {
  if (who.superUser) return 'ALLOWED';
  const bindings = index.applicable(action.resourceType, action.name);
  if (bindings.length === 0) return (options.allowIfNoAclFound ?? true) ? 'ALLOWED' : 'DENIED';
  let allowed = false;
  for (const b of bindings) {
    if (!appliesTo(b, who)) continue;
    if (b.permissionType === 'DENY' && denyCovers(b.operation, action.operation)) return 'DENIED';
    if (b.permissionType === 'ALLOW' && allowCovers(b.operation, action.operation)) allowed = true;
  }
  return allowed ? 'ALLOWED' : 'DENIED';
}

/**
 * Whether the requestor may perform `operation` on at least one resource of the type (Kafka's
 * authorizeByResourceType, KIP-679: e.g. an idempotent producer with WRITE on some topic needs no
 * IDEMPOTENT_WRITE on the cluster). With no binding of that type at all the default applies. An
 * ALLOW counts unless a DENY for the same requestor covers its whole pattern.
 */
export function authorizeAnyOfType(
  index: AclIndex,
  who: Requestor,
  request: { operation: Operation; resourceType: ResourceType },
  options: AuthorizerOptions = {},
): Decision {
  if (who.superUser) return 'ALLOWED';
  const bindings = index.ofType(request.resourceType);
  if (bindings.length === 0) return (options.allowIfNoAclFound ?? true) ? 'ALLOWED' : 'DENIED';
  const mine = bindings.filter((b) => appliesTo(b, who));
  const denies = mine.filter((b) => b.permissionType === 'DENY' && denyCovers(b.operation, request.operation));
  const shadowed = (allow: AclBinding): boolean =>
    denies.some(
      (d) =>
        (d.patternType === 'LITERAL' && (d.name === WILDCARD || (allow.patternType === 'LITERAL' && d.name === allow.name))) ||
        (d.patternType === 'PREFIXED' && allow.name.startsWith(d.name)),
    );
  const ok = mine.some((b) => b.permissionType === 'ALLOW' && allowCovers(b.operation, request.operation) && !shadowed(b));
  return ok ? 'ALLOWED' : 'DENIED';
}
