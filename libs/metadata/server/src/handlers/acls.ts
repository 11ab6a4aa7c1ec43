// CreateAcls / DescribeAcls / DeleteAcls over the tenant's ACL store. Per-binding and per-filter
// problems are Kafka errors in the response (INVALID_REQUEST as Kafka's controller answers);
// an unknown tenant fails the whole request (RESOURCE_NOT_FOUND → NOT_FOUND).
import { metadataV1 } from '@stratus/contracts';
import {
  OPERATIONS,
  PATTERN_TYPES,
  PERMISSION_TYPES,
  RESOURCE_TYPES,
  operationOf,
  patternTypeOf,
  permissionTypeOf,
  resourceTypeOf,
  type AclBinding,
  type AclBindingFilter,
} from '@stratus/kafka-acls';
import type { MetadataError } from '@stratus/metadata-model';
import type { MetadataStore, StoredAcl } from '@stratus/metadata-store';
import { BadRequest, orThrow, requireTenant, unary } from '../rpc';

export function aclFromProto(b: metadataV1.AclBinding): AclBinding {
  return {
    resourceType: resourceTypeOf(b.resourceType),
    name: b.resourceName,
    patternType: patternTypeOf(b.patternType),
    principal: b.principal,
    host: b.host,
    operation: operationOf(b.operation),
    permissionType: permissionTypeOf(b.permissionType),
  };
}

export function aclToProto(b: AclBinding): metadataV1.AclBinding {
  return {
    resourceType: RESOURCE_TYPES[b.resourceType],
    resourceName: b.name,
    patternType: PATTERN_TYPES[b.patternType],
    principal: b.principal,
    host: b.host,
    operation: OPERATIONS[b.operation],
    permissionType: PERMISSION_TYPES[b.permissionType],
  };
}

export function aclFilterFromProto(f: metadataV1.AclBindingFilter): AclBindingFilter {
  return {
    resourceType: resourceTypeOf(f.resourceType),
    name: f.resourceName,
    patternType: patternTypeOf(f.patternType),
    principal: f.principal,
    host: f.host,
    operation: operationOf(f.operation),
    permissionType: permissionTypeOf(f.permissionType),
  };
}

export function storedAclToProto(a: StoredAcl): metadataV1.TenantAclBinding {
  return { bindingId: a.id, tenantId: { value: a.tenantId }, binding: aclToProto(a.binding) };
}

const kafkaError = (e: MetadataError) => ({ code: e.code, message: e.message });

/** Bounds one request (Kafka has no limit; ours keeps a call inside etcd's request size). */
export const MAX_ACLS_PER_REQUEST = 1_000;

export function aclHandlers(store: MetadataStore) {
  return {
    createAcls: unary(async (req: metadataV1.CreateAclsRequest): Promise<metadataV1.CreateAclsResponse> => {
      const tenant = requireTenant(req.tenantId);
      if (req.creations.length > MAX_ACLS_PER_REQUEST) throw new BadRequest(`at most ${MAX_ACLS_PER_REQUEST} creations per request`);
      const outcomes = orThrow(await store.acls.create(tenant, req.creations.map(aclFromProto)));
      return { results: outcomes.map((o) => (o.ok ? {} : { error: kafkaError(o.error) })) };
    }),
    describeAcls: unary(async (req: metadataV1.DescribeAclsRequest): Promise<metadataV1.DescribeAclsResponse> => {
      const tenant = requireTenant(req.tenantId);
      if (!req.filter) throw new BadRequest('filter is required');
      const result = await store.acls.describe(tenant, aclFilterFromProto(req.filter));
      if (!result.ok && result.error.name === 'RESOURCE_NOT_FOUND') orThrow(result);
      return result.ok ? { bindings: result.value.map((a) => aclToProto(a.binding)) } : { error: kafkaError(result.error), bindings: [] };
    }),
    deleteAcls: unary(async (req: metadataV1.DeleteAclsRequest): Promise<metadataV1.DeleteAclsResponse> => {
      const tenant = requireTenant(req.tenantId);
      if (req.filters.length > MAX_ACLS_PER_REQUEST) throw new BadRequest(`at most ${MAX_ACLS_PER_REQUEST} filters per request`);
      const outcomes = orThrow(await store.acls.delete(tenant, req.filters.map(aclFilterFromProto)));
      return {
        results: outcomes.map((o) => (o.ok ? { matched: o.value.map((a) => aclToProto(a.binding)) } : { error: kafkaError(o.error), matched: [] })),
      };
    }),
  };
}
