// CreateAcls (30), DescribeAcls (29) and DeleteAcls (31), served from the metadata service for
// the connection's tenant: a tenant only ever reads and writes its own bindings. Authorization
// (ALTER / DESCRIBE on the cluster) is the guard's job (rules/admin.ts).
import type { metadataV1 } from '@stratus/contracts';
import type {
  CreateAclsRequest,
  CreateAclsResponse,
  DeleteAclsRequest,
  DeleteAclsRequestDeleteAclsFilter,
  DeleteAclsResponse,
  DescribeAclsRequest,
  DescribeAclsResponse,
  DescribeAclsResponseDescribeAclsResource,
} from '@stratus/kafka-messages';
import { unaryCall } from '@stratus/platform-grpc';
import { translateMetadataError } from '@stratus/router-admin-handlers';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';

export type AclMetadataClient = Pick<metadataV1.MetadataServiceClient, 'createAcls' | 'describeAcls' | 'deleteAcls'>;

export interface AclHandlersOptions {
  readonly metadata: AclMetadataClient;
  /** Deadline of each metadata call; default 10 s. */
  readonly metadataTimeoutMs?: number;
}

/**
 * A failed metadata call as the Kafka error every item of the request gets: a code the metadata
 * service chose passes through; transport trouble is a retriable REQUEST_TIMED_OUT (ACL APIs have
 * no NOT_CONTROLLER retry path in clients), never internals of the metadata service.
 */
function failure(err: unknown): { errorCode: number; errorMessage: string } {
  const { code, message } = translateMetadataError(err, 'REQUEST_TIMED_OUT');
  return { errorCode: code, errorMessage: message };
}

const tenantOf = (ctx: RequestContext) => ({ value: ctx.sasl.principal?.tenantId ?? '' });

function filterToProto(f: DeleteAclsRequestDeleteAclsFilter | DescribeAclsRequest): metadataV1.AclBindingFilter {
  return {
    resourceType: f.resourceTypeFilter,
    resourceName: f.resourceNameFilter ?? undefined,
    patternType: f.patternTypeFilter,
    principal: f.principalFilter ?? undefined,
    host: f.hostFilter ?? undefined,
    operation: f.operation,
    permissionType: f.permissionType,
  };
}

/** DescribeAcls answers bindings grouped by resource pattern (type, name, pattern type). */
export function groupByResource(bindings: readonly metadataV1.AclBinding[]): DescribeAclsResponseDescribeAclsResource[] {
  const groups = new Map<string, DescribeAclsResponseDescribeAclsResource>();
  for (const b of bindings) {
    const key = JSON.stringify([b.resourceType, b.resourceName, b.patternType]);
    let group = groups.get(key);
    if (!group) {
      group = { resourceType: b.resourceType, resourceName: b.resourceName, patternType: b.patternType, acls: [] };
      groups.set(key, group);
    }
    group.acls.push({ principal: b.principal, host: b.host, operation: b.operation, permissionType: b.permissionType });
  }
  return [...groups.values()];
}

export function aclHandlers(options: AclHandlersOptions): ApiHandler[] {
  const client = options.metadata;
  const timeoutMs = options.metadataTimeoutMs ?? 10_000;

  const createAcls: ApiHandler = {
    apiKey: 30,
    name: 'CreateAcls',
    minVersion: 1,
    maxVersion: 3,
    async handle(ctx, raw) {
      const request = raw as CreateAclsRequest;
      const creations: metadataV1.AclBinding[] = request.creations.map((c) => ({
        resourceType: c.resourceType,
        resourceName: c.resourceName,
        patternType: c.resourcePatternType,
        principal: c.principal,
        host: c.host,
        operation: c.operation,
        permissionType: c.permissionType,
      }));
      let response: CreateAclsResponse;
      try {
        const res = await unaryCall(client, client.createAcls, { tenantId: tenantOf(ctx), creations }, { timeoutMs });
        response = { throttleTimeMs: 0, results: res.results.map((r) => ({ errorCode: r.error?.code ?? 0, errorMessage: r.error?.message ?? null })) };
      } catch (err) {
        const f = failure(err);
        response = { throttleTimeMs: 0, results: request.creations.map(() => f) };
      }
      return { response };
    },
  };

  const describeAcls: ApiHandler = {
    apiKey: 29,
    name: 'DescribeAcls',
    minVersion: 1,
    maxVersion: 3,
    async handle(ctx, raw) {
      const request = raw as DescribeAclsRequest;
      let response: DescribeAclsResponse;
      try {
        const res = await unaryCall(
          client,
          client.describeAcls,
          { tenantId: tenantOf(ctx), filter: filterToProto(request) },
          { timeoutMs },
        );
        if (res.error) {
          response = { throttleTimeMs: 0, errorCode: res.error.code, errorMessage: res.error.message, resources: [] };
        } else {
          response = { throttleTimeMs: 0, errorCode: 0, errorMessage: null, resources: groupByResource(res.bindings) };
        }
      } catch (err) {
        response = { throttleTimeMs: 0, ...failure(err), resources: [] };
      }
      return { response };
    },
  };

  const deleteAcls: ApiHandler = {
    apiKey: 31,
    name: 'DeleteAcls',
    minVersion: 1,
    maxVersion: 3,
    async handle(ctx, raw) {
      const request = raw as DeleteAclsRequest;
      let response: DeleteAclsResponse;
      try {
        const res = await unaryCall(
          client,
          client.deleteAcls,
          { tenantId: tenantOf(ctx), filters: request.filters.map(filterToProto) },
          { timeoutMs },
        );
        response = {
          throttleTimeMs: 0,
          filterResults: res.results.map((r) => ({
            errorCode: r.error?.code ?? 0,
            errorMessage: r.error?.message ?? null,
            matchingAcls: r.matched.map((m) => ({
              errorCode: 0,
              errorMessage: null,
              resourceType: m.resourceType,
              resourceName: m.resourceName,
              patternType: m.patternType,
              principal: m.principal,
              host: m.host,
              operation: m.operation,
              permissionType: m.permissionType,
            })),
          })),
        };
      } catch (err) {
        const f = failure(err);
        response = { throttleTimeMs: 0, filterResults: request.filters.map(() => ({ ...f, matchingAcls: [] })) };
      }
      return { response };
    },
  };

  return [createAcls, describeAcls, deleteAcls];
}
