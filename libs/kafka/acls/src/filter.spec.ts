import { filterMatches, MATCH_ALL_FILTER } from './filter';
import type { AclBinding, AclBindingFilter } from './model';
import { bindingProblem, filterProblem } from './validate';

const binding: AclBinding = { resourceType: 'TOPIC', name: 'orders', patternType: 'LITERAL', principal: 'User:a', host: '*', operation: 'READ', permissionType: 'ALLOW' };
const f = (p: Partial<AclBindingFilter>): AclBindingFilter => ({ ...MATCH_ALL_FILTER, ...p });

describe('filterMatches', () => {
  it('ANY matches everything; fields narrow it', () => {
    expect(filterMatches(MATCH_ALL_FILTER, binding)).toBe(true);
    expect(filterMatches(f({ resourceType: 'GROUP' }), binding)).toBe(false);
    expect(filterMatches(f({ principal: 'User:b' }), binding)).toBe(false);
    expect(filterMatches(f({ host: '1.2.3.4' }), binding)).toBe(false);
    expect(filterMatches(f({ operation: 'WRITE' }), binding)).toBe(false);
    expect(filterMatches(f({ permissionType: 'DENY' }), binding)).toBe(false);
    expect(filterMatches(f({ name: 'orders', patternType: 'LITERAL', operation: 'READ', permissionType: 'ALLOW' }), binding)).toBe(true);
  });

  it('a LITERAL or PREFIXED filter matches only that pattern type and exact name', () => {
    expect(filterMatches(f({ patternType: 'PREFIXED', name: 'orders' }), binding)).toBe(false);
    expect(filterMatches(f({ patternType: 'LITERAL', name: 'ord' }), binding)).toBe(false);
    expect(filterMatches(f({ patternType: 'ANY', name: 'orders' }), binding)).toBe(true);
  });

  it('MATCH finds literal, wildcard and prefix bindings that apply to the name', () => {
    const match = f({ patternType: 'MATCH', name: 'orders-eu' });
    expect(filterMatches(match, { ...binding, name: 'orders-eu' })).toBe(true);
    expect(filterMatches(match, { ...binding, name: '*' })).toBe(true);
    expect(filterMatches(match, { ...binding, name: 'orders', patternType: 'PREFIXED' })).toBe(true);
    expect(filterMatches(match, { ...binding, name: 'orders' })).toBe(false);
    expect(filterMatches(match, { ...binding, name: 'x', patternType: 'PREFIXED' })).toBe(false);
  });
});

describe('validation', () => {
  it('accepts a well-formed binding', () => {
    expect(bindingProblem(binding)).toBeUndefined();
    expect(bindingProblem({ ...binding, resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALTER' })).toBeUndefined();
  });
  it.each<[string, Partial<AclBinding>]>([
    ['Invalid resourceType', { resourceType: 'ANY' }],
    ['Invalid resourceType', { resourceType: 'UNKNOWN' }],
    ['not supported', { resourceType: 'DELEGATION_TOKEN' }],
    ['Invalid patternType', { patternType: 'MATCH' }],
    ['Invalid patternType', { patternType: 'ANY' }],
    ['Invalid operation', { operation: 'ANY' }],
    ['Invalid permissionType', { permissionType: 'ANY' }],
    ['should not be empty', { name: '' }],
    ['kafka-cluster', { resourceType: 'CLUSTER', name: 'other' }],
    ['Could not parse principal', { principal: 'alice' }],
    ['Host', { host: '' }],
  ])('rejects %s', (message, change) => {
    expect(bindingProblem({ ...binding, ...change })).toContain(message);
  });
  it('rejects filters with UNKNOWN elements only', () => {
    expect(filterProblem(MATCH_ALL_FILTER)).toBeUndefined();
    expect(filterProblem(f({ operation: 'UNKNOWN' }))).toContain('operation');
    expect(filterProblem(f({ resourceType: 'UNKNOWN', patternType: 'UNKNOWN' }))).toContain('resourceType, patternType');
  });
});
