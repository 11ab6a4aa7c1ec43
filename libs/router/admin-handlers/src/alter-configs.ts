// AlterConfigs (key 33, whole-set replacement) and IncrementalAlterConfigs (key 44, KIP-339
// SET/DELETE/APPEND/SUBTRACT) for the tenant's topics. Broker configs of a logical cluster are
// the physical cluster's defaults, read-only to tenants: altering them answers
// CLUSTER_AUTHORIZATION_FAILED, what Kafka answers a principal without ALTER_CONFIGS on the cluster.
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type {
  AlterConfigsRequest,
  AlterConfigsResponse,
  AlterConfigsResponseAlterConfigsResourceResponse,
  IncrementalAlterConfigsRequest,
  IncrementalAlterConfigsResponse,
} from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, duplicatesOf, tenantOf, type AdminContext } from './admin-context';
import { RESOURCE_TYPE, alterOpFromWire } from './config-codes';
import { callMetadata, translateMetadataError } from './metadata-call';

type Result = AlterConfigsResponseAlterConfigsResourceResponse;
interface WireResource {
  readonly resourceType: number;
  readonly resourceName: string;
}

function answer(r: WireResource, code: number, message: string | null): Result {
  return { errorCode: code, errorMessage: code === ErrorCode.NONE ? null : message, resourceType: r.resourceType, resourceName: r.resourceName };
}

/** The answer for a resource the router settles itself, or undefined when it goes to metadata. */
export function precheckAlter(r: WireResource, duplicates: Set<string>): Result | undefined {
  if (duplicates.has(`${r.resourceType}:${r.resourceName}`)) return answer(r, ErrorCode.INVALID_REQUEST, 'Duplicate resource in the request.');
  if (r.resourceType === RESOURCE_TYPE.TOPIC) return undefined;
  if (r.resourceType === RESOURCE_TYPE.BROKER || r.resourceType === RESOURCE_TYPE.BROKER_LOGGER) {
    return answer(r, ErrorCode.CLUSTER_AUTHORIZATION_FAILED, 'Broker configs of a Stratus cluster are read-only to tenants.');
  }
  return answer(r, ErrorCode.INVALID_REQUEST, `Config resource type ${r.resourceType} is not supported by Stratus; only TOPIC (2) configs can be altered.`);
}

interface AlterPlan<R extends WireResource> {
  readonly apiName: string;
  readonly resources: readonly R[];
  /** The per-resource answer already known, or undefined to forward it. */
  readonly extraCheck?: (r: R) => Result | undefined;
  readonly call: (tenant: string, forward: readonly R[]) => Promise<{ results: Array<{ error?: { code: number; message: string } }> }>;
}

async function alter<R extends WireResource>(ctx: RequestContext, plan: AlterPlan<R>): Promise<Result[]> {
  const tenant = tenantOf(ctx) as string;
  const duplicates = duplicatesOf(plan.resources.map((r) => `${r.resourceType}:${r.resourceName}`));
  const results = new Map<R, Result>();
  const forward: R[] = [];
  for (const r of plan.resources) {
    const early = precheckAlter(r, duplicates) ?? plan.extraCheck?.(r);
    if (early) results.set(r, early);
    else forward.push(r);
  }
  if (forward.length > 0) {
    try {
      const response = await plan.call(tenant, forward);
      forward.forEach((r, i) => {
        const e = response.results[i]?.error;
        results.set(r, e ? answer(r, e.code, e.message) : answer(r, ErrorCode.UNKNOWN_SERVER_ERROR, 'No result from metadata.'));
      });
    } catch (err) {
      const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
      ctx.logger.warn({ err, kafkaError: t.code }, `${plan.apiName}: metadata call failed`);
      for (const r of forward) results.set(r, answer(r, t.code, t.message));
    }
  }
  return plan.resources.map((r) => results.get(r) as Result);
}

const topicResource = (name: string): metadataV1.ConfigResource => ({ type: metadataV1.ConfigResourceType.TOPIC, name });

export function alterConfigsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 33,
    name: 'AlterConfigs',
    minVersion: 0,
    maxVersion: 2,
    async handle(ctx: RequestContext, raw: unknown) {
      if (tenantOf(ctx) === undefined) return NOT_AUTHENTICATED;
      const request = raw as AlterConfigsRequest;
      const responses = await alter(ctx, {
        apiName: 'AlterConfigs',
        resources: request.resources,
        extraCheck: (r) => {
          const nullConfig = r.configs.find((c) => c.value === null);
          return nullConfig ? answer(r, ErrorCode.INVALID_REQUEST, `Null value not supported for : ${nullConfig.name}`) : undefined;
        },
        call: (tenant, forward) =>
          callMetadata(
            admin.metadata,
            'alterConfigs',
            {
              tenantId: { value: tenant },
              resources: forward.map((r) => ({ resource: topicResource(r.resourceName), configs: r.configs.map((c) => ({ name: c.name, value: c.value ?? undefined })) })),
              validateOnly: request.validateOnly,
            },
            admin.metadataTimeoutMs,
          ),
      });
      const response: AlterConfigsResponse = { throttleTimeMs: 0, responses };
      return { response };
    },
  };
}

export function incrementalAlterConfigsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 44,
    name: 'IncrementalAlterConfigs',
    minVersion: 0,
    maxVersion: 1,
    async handle(ctx: RequestContext, raw: unknown) {
      if (tenantOf(ctx) === undefined) return NOT_AUTHENTICATED;
      const request = raw as IncrementalAlterConfigsRequest;
      const responses = await alter(ctx, {
        apiName: 'IncrementalAlterConfigs',
        resources: request.resources,
        extraCheck: (r) => {
          const bad = r.configs.find((c) => alterOpFromWire(c.configOperation) === undefined);
          return bad ? answer(r, ErrorCode.INVALID_REQUEST, `Unknown config operation ${bad.configOperation} for ${bad.name}.`) : undefined;
        },
        call: (tenant, forward) =>
          callMetadata(
            admin.metadata,
            'incrementalAlterConfigs',
            {
              tenantId: { value: tenant },
              resources: forward.map((r) => ({
                resource: topicResource(r.resourceName),
                configs: r.configs.map((c) => ({ name: c.name, op: alterOpFromWire(c.configOperation) as metadataV1.AlterConfigOp, value: c.value ?? undefined })),
              })),
              validateOnly: request.validateOnly,
            },
            admin.metadataTimeoutMs,
          ),
      });
      const response: IncrementalAlterConfigsResponse = { throttleTimeMs: 0, responses };
      return { response };
    },
  };
}
