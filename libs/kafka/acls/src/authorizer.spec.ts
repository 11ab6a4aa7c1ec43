import fc from 'fast-check';
import { AclIndex, authorize, authorizeAnyOfType, type Action, type Requestor } from './authorizer';
import type { AclBinding, Operation } from './model';

const alice: Requestor = { principal: 'User:alice', host: '10.0.0.1' };
const bob: Requestor = { principal: 'User:bob', host: '10.0.0.2' };

function acl(partial: Partial<AclBinding> & Pick<AclBinding, 'name' | 'operation' | 'permissionType'>): AclBinding {
  return { resourceType: 'TOPIC', patternType: 'LITERAL', principal: 'User:alice', host: '*', ...partial };
}

const read = (name: string): Action => ({ operation: 'READ', resourceType: 'TOPIC', name });
const decide = (bindings: AclBinding[], who: Requestor, action: Action) => authorize(new AclIndex(bindings), who, action);

describe('authorize', () => {
  it('allows everything when no binding applies to the resource (allow.everyone.if.no.acl.found)', () => {
    expect(decide([], alice, read('orders'))).toBe('ALLOWED');
    expect(decide([acl({ name: 'other', operation: 'READ', permissionType: 'DENY' })], alice, read('orders'))).toBe('ALLOWED');
  });

  it('denies when bindings exist for the resource but none allows this principal', () => {
    const bindings = [acl({ name: 'orders', operation: 'READ', permissionType: 'ALLOW' })];
    expect(decide(bindings, alice, read('orders'))).toBe('ALLOWED');
    expect(decide(bindings, bob, read('orders'))).toBe('DENIED');
  });

  it('can be configured to deny when no ACL is found', () => {
    expect(authorize(new AclIndex([]), alice, read('x'), { allowIfNoAclFound: false })).toBe('DENIED');
  });

  it('lets DENY override ALLOW, including ALL and wildcard principals', () => {
    const allow = acl({ name: 'orders', operation: 'ALL', permissionType: 'ALLOW' });
    expect(decide([allow, acl({ name: 'orders', operation: 'READ', permissionType: 'DENY' })], alice, read('orders'))).toBe('DENIED');
    expect(decide([allow, acl({ name: 'orders', operation: 'ALL', permissionType: 'DENY', principal: 'User:*' })], alice, read('orders'))).toBe('DENIED');
    // A DENY on another operation leaves READ allowed.
    expect(decide([allow, acl({ name: 'orders', operation: 'WRITE', permissionType: 'DENY' })], alice, read('orders'))).toBe('ALLOWED');
  });

  it('matches literal, wildcard and prefixed patterns', () => {
    expect(decide([acl({ name: '*', operation: 'READ', permissionType: 'ALLOW' })], bob, read('orders'))).toBe('DENIED');
    expect(decide([acl({ name: '*', operation: 'READ', permissionType: 'ALLOW' })], alice, read('orders'))).toBe('ALLOWED');
    const prefixed = [acl({ name: 'team-a.', patternType: 'PREFIXED', operation: 'READ', permissionType: 'ALLOW' })];
    expect(decide(prefixed, alice, read('team-a.orders'))).toBe('ALLOWED');
    expect(decide(prefixed, bob, read('team-a.orders'))).toBe('DENIED');
    // Not covered by the prefix: no binding applies, so the default allows.
    expect(decide(prefixed, bob, read('team-b.orders'))).toBe('ALLOWED');
    // A literal binding named like a prefix does not act as one.
    expect(decide([acl({ name: 'team-a.', operation: 'READ', permissionType: 'DENY' })], alice, read('team-a.orders'))).toBe('ALLOWED');
    // A prefixed "*" is a prefix of names starting with '*', not a wildcard.
    expect(decide([acl({ name: '*', patternType: 'PREFIXED', operation: 'READ', permissionType: 'DENY' })], alice, read('orders'))).toBe('ALLOWED');
  });

  it('applies implied operations to ALLOW only', () => {
    for (const op of ['READ', 'WRITE', 'DELETE', 'ALTER'] as Operation[]) {
      expect(decide([acl({ name: 't', operation: op, permissionType: 'ALLOW' })], alice, { operation: 'DESCRIBE', resourceType: 'TOPIC', name: 't' })).toBe('ALLOWED');
    }
    expect(decide([acl({ name: 't', operation: 'CREATE', permissionType: 'ALLOW' })], alice, { operation: 'DESCRIBE', resourceType: 'TOPIC', name: 't' })).toBe('DENIED');
    expect(decide([acl({ name: 't', operation: 'ALTER_CONFIGS', permissionType: 'ALLOW' })], alice, { operation: 'DESCRIBE_CONFIGS', resourceType: 'TOPIC', name: 't' })).toBe('ALLOWED');
    expect(decide([acl({ name: 't', operation: 'DESCRIBE', permissionType: 'ALLOW' })], alice, read('t'))).toBe('DENIED');
    // DENY READ does not deny DESCRIBE.
    const bindings = [acl({ name: 't', operation: 'ALL', permissionType: 'ALLOW' }), acl({ name: 't', operation: 'READ', permissionType: 'DENY' })];
    expect(decide(bindings, alice, { operation: 'DESCRIBE', resourceType: 'TOPIC', name: 't' })).toBe('ALLOWED');
  });

  it('matches hosts: "*" always, a named host only for that client address', () => {
    const bindings = [acl({ name: 't', operation: 'READ', permissionType: 'ALLOW', host: '10.0.0.1' })];
    expect(decide(bindings, alice, read('t'))).toBe('ALLOWED');
    expect(decide(bindings, { ...alice, host: '10.0.0.9' }, read('t'))).toBe('DENIED');
    expect(decide(bindings, { principal: alice.principal }, read('t'))).toBe('DENIED');
  });

  it('keeps resource types apart', () => {
    const bindings = [acl({ name: 'x', resourceType: 'GROUP', operation: 'READ', permissionType: 'DENY' })];
    expect(decide(bindings, alice, read('x'))).toBe('ALLOWED');
    expect(decide(bindings, alice, { operation: 'READ', resourceType: 'GROUP', name: 'x' })).toBe('DENIED');
  });

  it('always allows super users', () => {
    const bindings = [acl({ name: '*', operation: 'ALL', permissionType: 'DENY', principal: 'User:*' })];
    expect(decide(bindings, { ...alice, superUser: true }, read('t'))).toBe('ALLOWED');
  });
});

describe('authorizeAnyOfType', () => {
  const op = { operation: 'WRITE' as const, resourceType: 'TOPIC' as const };
  it('allows with no bindings of the type, or an ALLOW on some topic', () => {
    expect(authorizeAnyOfType(new AclIndex([]), alice, op)).toBe('ALLOWED');
    expect(authorizeAnyOfType(new AclIndex([acl({ name: 'a', operation: 'WRITE', permissionType: 'ALLOW' })]), alice, op)).toBe('ALLOWED');
    expect(authorizeAnyOfType(new AclIndex([acl({ name: 'a', operation: 'WRITE', permissionType: 'ALLOW' })]), bob, op)).toBe('DENIED');
  });
  it('does not count an ALLOW whose whole pattern is denied', () => {
    const bindings = [
      acl({ name: 'a.b', operation: 'WRITE', permissionType: 'ALLOW' }),
      acl({ name: 'a.', patternType: 'PREFIXED', operation: 'WRITE', permissionType: 'DENY' }),
    ];
    expect(authorizeAnyOfType(new AclIndex(bindings), alice, op)).toBe('DENIED');
  });
});

// Property: the index gives the same answer as checking every binding one by one.
const names = fc.constantFrom('a', 'ab', 'abc', 'b', '*', 'a*');
const ops = fc.constantFrom<Operation>('ALL', 'READ', 'WRITE', 'DESCRIBE', 'ALTER', 'ALTER_CONFIGS', 'DESCRIBE_CONFIGS', 'DELETE', 'CREATE');
const bindingArb: fc.Arbitrary<AclBinding> = fc.record({
  resourceType: fc.constantFrom('TOPIC' as const, 'GROUP' as const),
  name: names,
  patternType: fc.constantFrom('LITERAL' as const, 'PREFIXED' as const),
  principal: fc.constantFrom('User:alice', 'User:bob', 'User:*'),
  host: fc.constantFrom('*', '10.0.0.1', '10.0.0.2'),
  operation: ops,
  permissionType: fc.constantFrom('ALLOW' as const, 'DENY' as const),
});

function patternApplies(b: AclBinding, a: Action): boolean {
  if (b.resourceType !== a.resourceType) return false;
  if (b.patternType === 'LITERAL') return b.name === a.name || b.name === '*';
  return a.name.startsWith(b.name);
}

function reference(bindings: AclBinding[], who: Requestor, a: Action): string {
  if (who.superUser) return 'ALLOWED';
  const onResource = bindings.filter((b) => patternApplies(b, a));
  if (onResource.length === 0) return 'ALLOWED';
  const mine = onResource.filter((b) => (b.principal === who.principal || b.principal === 'User:*') && (b.host === '*' || b.host === who.host));
  if (mine.some((b) => b.permissionType === 'DENY' && (b.operation === a.operation || b.operation === 'ALL'))) return 'DENIED';
  const implied: Record<string, Operation[]> = { DESCRIBE: ['READ', 'WRITE', 'DELETE', 'ALTER'], DESCRIBE_CONFIGS: ['ALTER_CONFIGS'] };
  const granting = new Set<Operation>([a.operation, 'ALL', ...(implied[a.operation] ?? [])]);
  return mine.some((b) => b.permissionType === 'ALLOW' && granting.has(b.operation)) ? 'ALLOWED' : 'DENIED';
}

describe('authorize (properties)', () => {
  const actionArb = fc.record({ operation: ops.filter((o) => o !== 'ALL'), resourceType: fc.constantFrom('TOPIC' as const, 'GROUP' as const), name: names });
  const whoArb = fc.record({ principal: fc.constantFrom('User:alice', 'User:bob'), host: fc.constantFrom('10.0.0.1', '10.0.0.2'), superUser: fc.boolean() });

  it('agrees with a binding-by-binding reference', () => {
    fc.assert(
      fc.property(fc.array(bindingArb, { maxLength: 12 }), whoArb, actionArb, (bindings, who, action) => {
        expect(authorize(new AclIndex(bindings), who, action)).toBe(reference(bindings, who, action));
      }),
      { numRuns: 2000 },
    );
  });

  it('a DENY ALL for the principal on the literal resource always denies a non-super user', () => {
    fc.assert(
      fc.property(fc.array(bindingArb, { maxLength: 12 }), actionArb, (bindings, action) => {
        const deny: AclBinding = { resourceType: action.resourceType, name: action.name, patternType: 'LITERAL', principal: 'User:alice', host: '*', operation: 'ALL', permissionType: 'DENY' };
        expect(authorize(new AclIndex([...bindings, deny]), alice, action)).toBe('DENIED');
      }),
    );
  });
});
