// Filter matching for DescribeAcls / DeleteAcls (Kafka's AclBindingFilter.matches). Pattern
// type MATCH selects every binding that would apply to the named resource: the literal name,
// the literal wildcard "*", and every prefix of the name (KIP-290).
import { WILDCARD, type AclBinding, type AclBindingFilter } from './model';

export function patternMatchesFilter(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.resourceType !== 'ANY' && f.resourceType !== b.resourceType) return false;
  if (f.patternType !== 'ANY' && f.patternType !== 'MATCH' && f.patternType !== b.patternType) return false;
  if (f.name === undefined) return true;
  if (f.patternType === 'ANY' || f.patternType === b.patternType) return f.name === b.name;
  // MATCH with a name: does the binding's pattern cover that resource name?
  if (b.patternType === 'LITERAL') return f.name === b.name || b.name === WILDCARD;
  if (b.patternType === 'PREFIXED') return f.name.startsWith(b.name);
  return false;
}

export function entryMatchesFilter(f: AclBindingFilter, b: AclBinding): boolean {
  if (f.principal !== undefined && f.principal !== b.principal) return false;
  if (f.host !== undefined && f.host !== b.host) return false;
  if (f.operation !== 'ANY' && f.operation !== b.operation) return false;
  return f.permissionType === 'ANY' || f.permissionType === b.permissionType;
}

export function filterMatches(f: AclBindingFilter, b: AclBinding): boolean {
  return patternMatchesFilter(f, b) && entryMatchesFilter(f, b);
}

/** A filter that matches every binding (used by tests and full listings). */
export const MATCH_ALL_FILTER: AclBindingFilter = {
  resourceType: 'ANY',
  name: undefined,
  patternType: 'ANY',
  principal: undefined,
  host: undefined,
  operation: 'ANY',
  permissionType: 'ANY',
};
