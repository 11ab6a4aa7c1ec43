// The KIP-430 bit field from real bindings: each case states the bindings and the operations a
// Kafka broker with the same ACLs would report.
import { AclIndex, EMPTY_ACL_INDEX, OPERATIONS, type AclBinding, type Operation } from '@stratus/kafka-acls';
import { OPERATIONS_NOT_REQUESTED, SUPPORTED_OPERATIONS, authorizedOperations, operationsBitField } from './authorized-operations';
import { aliceAcl } from './acl-binding.testkit';

const alice = { principal: 'User:alice', host: '10.0.0.7' };

const acl = aliceAcl;

/** Decodes a bit field back to operation names, so failures read as names. */
function decode(bits: number): Operation[] {
  return (Object.keys(OPERATIONS) as Operation[]).filter((op) => (bits & (1 << OPERATIONS[op])) !== 0).sort();
}

const topicOps = (bindings: AclBinding[], name = 'orders', who: { principal: string; host?: string; superUser?: boolean } = alice) =>
  decode(authorizedOperations(new AclIndex(bindings), who, { resourceType: 'TOPIC', name }));

describe('operationsBitField', () => {
  it('sets bit N for AclOperation code N', () => {
    expect(operationsBitField(['READ'])).toBe(1 << 3);
    expect(operationsBitField(['READ', 'DESCRIBE', 'DELETE'])).toBe((1 << 3) | (1 << 8) | (1 << 6));
    expect(operationsBitField([])).toBe(0);
  });

  it('INT32_MIN means not requested', () => {
    expect(OPERATIONS_NOT_REQUESTED).toBe(-(2 ** 31));
  });
});

describe('authorizedOperations', () => {
  it('without any binding (allow.everyone.if.no.acl.found) reports every supported operation of the type', () => {
    expect(decode(authorizedOperations(EMPTY_ACL_INDEX, alice, { resourceType: 'TOPIC', name: 'orders' }))).toEqual(
      ['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DELETE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'READ', 'WRITE'],
    );
    expect(decode(authorizedOperations(EMPTY_ACL_INDEX, alice, { resourceType: 'GROUP', name: 'g' }))).toEqual(['DELETE', 'DESCRIBE', 'READ']);
    expect(decode(authorizedOperations(EMPTY_ACL_INDEX, alice, { resourceType: 'CLUSTER', name: 'kafka-cluster' }))).toEqual(
      ['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'IDEMPOTENT_WRITE'],
    );
  });

  it('bindings on other resources leave this one at the no-ACL default', () => {
    expect(topicOps([acl({ name: 'payments', operation: 'READ' })], 'orders')).toEqual(decode(operationsBitField(SUPPORTED_OPERATIONS.TOPIC)));
  });

  it('a literal ALLOW READ reports READ and the DESCRIBE it implies, nothing else', () => {
    expect(topicOps([acl({ name: 'orders', operation: 'READ' })])).toEqual(['DESCRIBE', 'READ']);
  });

  it('WRITE, DELETE and ALTER each imply DESCRIBE; ALTER_CONFIGS implies DESCRIBE_CONFIGS', () => {
    expect(topicOps([acl({ name: 'orders', operation: 'WRITE' })])).toEqual(['DESCRIBE', 'WRITE']);
    expect(topicOps([acl({ name: 'orders', operation: 'DELETE' })])).toEqual(['DELETE', 'DESCRIBE']);
    expect(topicOps([acl({ name: 'orders', operation: 'ALTER' })])).toEqual(['ALTER', 'DESCRIBE']);
    expect(topicOps([acl({ name: 'orders', operation: 'ALTER_CONFIGS' })])).toEqual(['ALTER_CONFIGS', 'DESCRIBE_CONFIGS']);
    // CREATE implies nothing.
    expect(topicOps([acl({ name: 'orders', operation: 'CREATE' })])).toEqual(['CREATE']);
  });

  it('a prefixed ALLOW applies to names under the prefix only', () => {
    const bindings = [acl({ name: 'ord', patternType: 'PREFIXED', operation: 'WRITE' })];
    expect(topicOps(bindings, 'orders')).toEqual(['DESCRIBE', 'WRITE']);
    // "payments" has no applicable binding: the no-ACL default applies to it.
    expect(topicOps(bindings, 'payments')).toHaveLength(SUPPORTED_OPERATIONS.TOPIC.length);
  });

  it('ALL reports every supported operation, never ALL itself or other types\' operations', () => {
    const bits = authorizedOperations(new AclIndex([acl({ name: '*', operation: 'ALL' })]), alice, { resourceType: 'TOPIC', name: 'orders' });
    expect(bits).toBe(operationsBitField(SUPPORTED_OPERATIONS.TOPIC));
    expect(bits & (1 << OPERATIONS.ALL)).toBe(0);
    expect(bits & (1 << OPERATIONS.IDEMPOTENT_WRITE)).toBe(0);
  });

  it('DENY wins over ALLOW; a DENY READ does not take away the DESCRIBE that WRITE implies', () => {
    const bindings = [acl({ name: 'orders', operation: 'ALL' }), acl({ name: 'orders', operation: 'READ', permissionType: 'DENY' })];
    expect(topicOps(bindings)).toEqual(['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DELETE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'WRITE']);
    const denyAll = [acl({ name: 'orders', operation: 'READ' }), acl({ name: 'ord', patternType: 'PREFIXED', operation: 'ALL', permissionType: 'DENY' })];
    expect(topicOps(denyAll)).toEqual([]);
  });

  it('bindings of other principals or other hosts do not grant, but make the resource ACL-governed', () => {
    expect(topicOps([acl({ name: 'orders', operation: 'READ', principal: 'User:bob' })])).toEqual([]);
    expect(topicOps([acl({ name: 'orders', operation: 'READ', host: '10.0.0.8' })])).toEqual([]);
    expect(topicOps([acl({ name: 'orders', operation: 'READ', host: '10.0.0.7' })])).toEqual(['DESCRIBE', 'READ']);
    expect(topicOps([acl({ name: 'orders', operation: 'READ', principal: 'User:*' })])).toEqual(['DESCRIBE', 'READ']);
  });

  it('a host-specific binding does not apply when the client address is unknown', () => {
    expect(topicOps([acl({ name: 'orders', operation: 'READ', host: '10.0.0.7' })], 'orders', { principal: 'User:alice' })).toEqual([]);
  });

  it('a super user is allowed every supported operation despite a DENY', () => {
    const bindings = [acl({ name: 'orders', operation: 'ALL', permissionType: 'DENY' })];
    expect(topicOps(bindings, 'orders', { ...alice, superUser: true })).toHaveLength(SUPPORTED_OPERATIONS.TOPIC.length);
  });

  it('group operations: READ implies DESCRIBE; DELETE on its own', () => {
    const index = new AclIndex([acl({ resourceType: 'GROUP', name: 'app-', patternType: 'PREFIXED', operation: 'READ' }), acl({ resourceType: 'GROUP', name: 'app-1', operation: 'DELETE' })]);
    expect(decode(authorizedOperations(index, alice, { resourceType: 'GROUP', name: 'app-1' }))).toEqual(['DELETE', 'DESCRIBE', 'READ']);
    expect(decode(authorizedOperations(index, alice, { resourceType: 'GROUP', name: 'app-2' }))).toEqual(['DESCRIBE', 'READ']);
  });

  it('cluster operations never include CLUSTER_ACTION, even with ALLOW ALL', () => {
    const index = new AclIndex([acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'ALL' })]);
    const bits = authorizedOperations(index, alice, { resourceType: 'CLUSTER', name: 'kafka-cluster' });
    expect(decode(bits)).toEqual(['ALTER', 'ALTER_CONFIGS', 'CREATE', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'IDEMPOTENT_WRITE']);
    const idempotentOnly = new AclIndex([acl({ resourceType: 'CLUSTER', name: 'kafka-cluster', operation: 'IDEMPOTENT_WRITE' })]);
    expect(decode(authorizedOperations(idempotentOnly, alice, { resourceType: 'CLUSTER', name: 'kafka-cluster' }))).toEqual(['IDEMPOTENT_WRITE']);
  });
});
