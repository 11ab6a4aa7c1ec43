// KIP-430 authorised operations: the answer to "what may I do with this resource?" that Metadata,
// DescribeCluster, DescribeTopicPartitions, DescribeGroups and ConsumerGroupDescribe carry as a
// 32-bit field, bit N set when AclOperation code N is allowed. Every bit is one decision of the
// same authorizer the guard uses (@stratus/kafka-acls authorize), so implied operations (READ,
// WRITE, DELETE, ALTER → DESCRIBE; ALTER_CONFIGS → DESCRIBE_CONFIGS; ALL → everything), DENY
// winning over ALLOW, host matching, super users and allow.everyone.if.no.acl.found all come out
// exactly as they do for the requests themselves.
import { OPERATIONS, authorize, type AclIndex, type Operation, type Requestor } from '@stratus/kafka-acls';

/** Resource types that report authorised operations. */
export type OperationsResourceType = 'TOPIC' | 'GROUP' | 'CLUSTER';

/**
 * What the field may contain per resource type: Kafka reports only the operations that apply to
 * the resource type (its per-type supported-operations list). Stratus leaves CLUSTER_ACTION out of
 * the cluster set: it is the inter-broker permission, no API a tenant can reach through a router
 * needs it, and a tenant principal never holds it — an ALLOW CLUSTER_ACTION binding grants nothing,
 * so reporting the bit would promise something no request can use.
 */
export const SUPPORTED_OPERATIONS: Readonly<Record<OperationsResourceType, readonly Operation[]>> = {
  TOPIC: ['READ', 'WRITE', 'CREATE', 'DELETE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS'],
  GROUP: ['READ', 'DELETE', 'DESCRIBE'],
  CLUSTER: ['CREATE', 'ALTER', 'DESCRIBE', 'DESCRIBE_CONFIGS', 'ALTER_CONFIGS', 'IDEMPOTENT_WRITE'],
};

/** KIP-430: the value of the field when the request did not ask for it (INT32_MIN). */
export const OPERATIONS_NOT_REQUESTED = -2147483648;

/** The bit field of a set of operations (bit = AclOperation code). */
export function operationsBitField(operations: Iterable<Operation>): number {
  let bits = 0;
  for (const operation of operations) bits |= 1 << OPERATIONS[operation];
  return bits;
}

/**
 * The operations `who` is allowed on one resource, as the KIP-430 bit field. A CLUSTER resource is
 * always named `kafka-cluster`; the name passed is used as given.
 */
export function authorizedOperations(index: AclIndex, who: Requestor, resource: { resourceType: OperationsResourceType; name: string }): number {
  const allowed = SUPPORTED_OPERATIONS[resource.resourceType].filter(
    (operation) => authorize(index, who, { operation, resourceType: resource.resourceType, name: resource.name }) === 'ALLOWED',
  );
  return operationsBitField(allowed);
}
