// @stratus/coordinator-keys: the placement function and tenant namespacing of group (and
// transactional) ids, shared by the router and the broker so both compute the same coordinator.
// See docs/groups.md "Placement".
export { murmur2, toPositive } from './murmur2';
export {
  OFFSETS_TOPIC_NAME,
  DEFAULT_OFFSETS_TOPIC_PARTITIONS,
  systemTenantName,
  InvalidTenantIdError,
  coordinatorPartition,
  groupIdForTenant,
  internalGroupId,
  splitInternalGroupId,
  type InternalGroupId,
} from './keys';
