// Test bindings for User:alice: a literal ALLOW on a topic from any host unless the case says
// otherwise, so each spec states only what its case is about.
import type { AclBinding } from '@stratus/kafka-acls';

export function aliceAcl(p: Partial<AclBinding> & Pick<AclBinding, 'name' | 'operation'>): AclBinding {
  return { resourceType: 'TOPIC', patternType: 'LITERAL', principal: 'User:alice', host: '*', permissionType: 'ALLOW', ...p };
}
