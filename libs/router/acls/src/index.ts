// @stratus/router-acls: per-tenant Kafka ACLs in the router (issue 8 item 3) — the CreateAcls /
// DescribeAcls / DeleteAcls handlers, the authority fed by metadata watches, and the guard that
// authorizes every API from one table. Decisions use @stratus/kafka-acls.
export { aclHandlers, type AclHandlersOptions, type AclMetadataClient } from './acl-handlers';
export { StaticAclAuthority, WatchedAclAuthority, aclFromProto, type AclAuthority, type AclWatches, type WatchedMapLike } from './authority';
export { guardHandlers, guardHandler, accessCheck, ACL_GUARD_DEFAULTS, type AclGuardOptions } from './guard';
export { ACL_RULES, UNGUARDED_API_KEYS } from './rules/table';
export { OPERATIONS_STEPS, type OperationsStep } from './rules/authorized-operations';
export {
  authorizedOperations,
  operationsBitField,
  OPERATIONS_NOT_REQUESTED,
  SUPPORTED_OPERATIONS,
  type OperationsResourceType,
} from './authorized-operations';
export type { AccessCheck, RuleOutcome, AclRule } from './rules/rule';
