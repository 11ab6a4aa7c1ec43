// The Kafka ACL model (KIP-140 admin APIs, KIP-290 prefixed patterns), with the wire codes of
// org.apache.kafka.common.resource.{ResourceType,PatternType} and
// org.apache.kafka.common.acl.{AclOperation,AclPermissionType}. The codes are what CreateAcls,
// DescribeAcls and DeleteAcls carry and what stratus.metadata.v1's ACL enums use, so conversions
// are by value everywhere.

export const RESOURCE_TYPES = {
  UNKNOWN: 0,
  ANY: 1,
  TOPIC: 2,
  GROUP: 3,
  CLUSTER: 4,
  TRANSACTIONAL_ID: 5,
  DELEGATION_TOKEN: 6,
  USER: 7,
} as const;
export type ResourceType = keyof typeof RESOURCE_TYPES;

export const PATTERN_TYPES = { UNKNOWN: 0, ANY: 1, MATCH: 2, LITERAL: 3, PREFIXED: 4 } as const;
export type PatternType = keyof typeof PATTERN_TYPES;

export const OPERATIONS = {
  UNKNOWN: 0,
  ANY: 1,
  ALL: 2,
  READ: 3,
  WRITE: 4,
  CREATE: 5,
  DELETE: 6,
  ALTER: 7,
  DESCRIBE: 8,
  CLUSTER_ACTION: 9,
  DESCRIBE_CONFIGS: 10,
  ALTER_CONFIGS: 11,
  IDEMPOTENT_WRITE: 12,
  CREATE_TOKENS: 13,
  DESCRIBE_TOKENS: 14,
} as const;
export type Operation = keyof typeof OPERATIONS;

export const PERMISSION_TYPES = { UNKNOWN: 0, ANY: 1, DENY: 2, ALLOW: 3 } as const;
export type PermissionType = keyof typeof PERMISSION_TYPES;

/** Kafka's only name for the CLUSTER resource (AuthorizerUtils.isClusterResource). */
export const CLUSTER_RESOURCE_NAME = 'kafka-cluster';
/** A literal resource name or principal/host matching everything (ResourcePattern.WILDCARD_RESOURCE). */
export const WILDCARD = '*';
/** Kafka's default principal type; Stratus principals are `User:<api key id>`. */
export const USER_PRINCIPAL_TYPE = 'User';

/** Resource types a binding may name (ANY and UNKNOWN are filter / decoding artefacts). */
export type ConcreteResourceType = Exclude<ResourceType, 'ANY' | 'UNKNOWN'>;

export interface ResourcePattern {
  readonly resourceType: ResourceType;
  readonly name: string;
  readonly patternType: PatternType;
}

export interface AccessControlEntry {
  readonly principal: string;
  readonly host: string;
  readonly operation: Operation;
  readonly permissionType: PermissionType;
}

/** One ACL: a resource pattern and an access control entry (Kafka's AclBinding). */
export interface AclBinding extends ResourcePattern, AccessControlEntry {}

/** Selects bindings; undefined strings match anything (Kafka's null). */
export interface AclBindingFilter {
  readonly resourceType: ResourceType;
  readonly name: string | undefined;
  readonly patternType: PatternType;
  readonly principal: string | undefined;
  readonly host: string | undefined;
  readonly operation: Operation;
  readonly permissionType: PermissionType;
}

function fromCode<K extends string>(table: Readonly<Record<K, number>>, code: number): K {
  for (const [name, value] of Object.entries(table) as [K, number][]) if (value === code) return name;
  return 'UNKNOWN' as K;
}

/** Wire code → name; codes this version does not know become UNKNOWN (Kafka's fromCode). */
export const resourceTypeOf = (code: number): ResourceType => fromCode(RESOURCE_TYPES, code);
export const patternTypeOf = (code: number): PatternType => fromCode(PATTERN_TYPES, code);
export const operationOf = (code: number): Operation => fromCode(OPERATIONS, code);
export const permissionTypeOf = (code: number): PermissionType => fromCode(PERMISSION_TYPES, code);

/** The principal Stratus gives an authenticated API key (the SASL user name is the key id). */
export function userPrincipal(keyId: string): string {
  return `${USER_PRINCIPAL_TYPE}:${keyId}`;
}

/** A stable text form of a binding, used as an identity (same binding ⇒ same key). */
export function bindingKey(b: AclBinding): string {
  return JSON.stringify([b.resourceType, b.name, b.patternType, b.principal, b.host, b.operation, b.permissionType]);
}
