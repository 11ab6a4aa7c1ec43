// Which bindings CreateAcls accepts and which filters DescribeAcls / DeleteAcls accept, as Kafka's
// controller checks them (AclControlManager.validateNewAcl and the request classes' UNKNOWN
// checks): every violation is INVALID_REQUEST with a message naming the field. Stratus also
// refuses resource types it has no resources of (DELEGATION_TOKEN, USER), instead of storing
// bindings that could never apply.
import { CLUSTER_RESOURCE_NAME, type AclBinding, type AclBindingFilter, type ResourceType } from './model';

/** Resource types a Stratus tenant has resources of. */
export const SUPPORTED_RESOURCE_TYPES: readonly ResourceType[] = ['TOPIC', 'GROUP', 'CLUSTER', 'TRANSACTIONAL_ID'];

/** Returns why a binding cannot be created, or undefined when it is valid. */
export function bindingProblem(b: AclBinding): string | undefined {
  if (b.resourceType === 'UNKNOWN' || b.resourceType === 'ANY') return `Invalid resourceType ${b.resourceType}`;
  if (!SUPPORTED_RESOURCE_TYPES.includes(b.resourceType)) return `Resource type ${b.resourceType} is not supported`;
  if (b.patternType !== 'LITERAL' && b.patternType !== 'PREFIXED') return `Invalid patternType ${b.patternType}`;
  if (b.operation === 'UNKNOWN' || b.operation === 'ANY') return `Invalid operation ${b.operation}`;
  if (b.permissionType !== 'ALLOW' && b.permissionType !== 'DENY') return `Invalid permissionType ${b.permissionType}`;
  if (b.name.length === 0) return 'Resource name should not be empty';
  if (b.resourceType === 'CLUSTER' && b.name !== CLUSTER_RESOURCE_NAME) {
    return `The only valid name for the CLUSTER resource is ${CLUSTER_RESOURCE_NAME}`;
  }
  const colon = b.principal.indexOf(':');
  if (colon <= 0) return `Could not parse principal from \`${b.principal}\` (no colon is present separating the principal type from the principal name)`;
  if (b.host.length === 0) return 'Host should not be empty (use * for any host)';
  return undefined;
}

/** Returns why a filter is unusable, or undefined. A filter may use ANY/MATCH and omit strings. */
export function filterProblem(f: AclBindingFilter): string | undefined {
  const unknown = [
    f.resourceType === 'UNKNOWN' && 'resourceType',
    f.patternType === 'UNKNOWN' && 'patternType',
    f.operation === 'UNKNOWN' && 'operation',
    f.permissionType === 'UNKNOWN' && 'permissionType',
  ].filter((x): x is string => typeof x === 'string');
  if (unknown.length > 0) return `Filter contains UNKNOWN elements: ${unknown.join(', ')}`;
  return undefined;
}
