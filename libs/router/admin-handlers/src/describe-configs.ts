// DescribeConfigs (key 32) for TOPIC resources (the tenant's topics, from metadata) and BROKER
// resources (the logical cluster's read-only defaults, also from metadata). Synonyms (v1+),
// config types and documentation (v3+, KIP-569) come through as metadata describes them.
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeConfigsRequest, DescribeConfigsResponse, DescribeConfigsResponseDescribeConfigsResult } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, tenantOf, type AdminContext } from './admin-context';
import { checkBrokerResource } from './broker-resource';
import { RESOURCE_TYPE, configSourceToWire, configTypeToWire } from './config-codes';
import { callMetadata, translateMetadataError } from './metadata-call';

type Result = DescribeConfigsResponseDescribeConfigsResult;
type Resource = DescribeConfigsRequest['resources'][number];

function failed(r: Resource, code: number, message: string): Result {
  return { errorCode: code, errorMessage: message, resourceType: r.resourceType, resourceName: r.resourceName, configs: [] };
}

function entryToWire(e: metadataV1.ConfigEntry, includeDocumentation: boolean): Result['configs'][number] {
  return {
    name: e.name,
    // Kafka never sends the value of a sensitive config.
    value: e.sensitive ? null : (e.value ?? null),
    readOnly: e.readOnly,
    configSource: configSourceToWire(e.source),
    isSensitive: e.sensitive,
    synonyms: e.synonyms.map((s) => ({ name: s.name, value: e.sensitive ? null : (s.value ?? null), source: configSourceToWire(s.source) })),
    configType: configTypeToWire(e.type),
    documentation: includeDocumentation && e.documentation !== '' ? e.documentation : null,
  };
}

/** The metadata resource for a wire resource, or the answer when there is nothing to ask. */
function toMetadataResource(r: Resource, ctx: RequestContext, admin: AdminContext): metadataV1.ConfigResource | Result {
  if (r.resourceType === RESOURCE_TYPE.TOPIC) return { type: metadataV1.ConfigResourceType.TOPIC, name: r.resourceName };
  if (r.resourceType === RESOURCE_TYPE.BROKER) {
    const problem = checkBrokerResource(r.resourceName, ctx, admin);
    return problem ? failed(r, ErrorCode.INVALID_REQUEST, problem) : { type: metadataV1.ConfigResourceType.BROKER, name: r.resourceName };
  }
  // Broker loggers, client metrics and group configs belong to the physical cluster or are not
  // offered to tenants; Kafka answers a resource type it does not serve with INVALID_REQUEST.
  return failed(r, ErrorCode.INVALID_REQUEST, `Config resource type ${r.resourceType} is not supported by Stratus; TOPIC (2) and BROKER (4) are.`);
}

export function describeConfigsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 32,
    name: 'DescribeConfigs',
    minVersion: 1,
    maxVersion: 4,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DescribeConfigsRequest;
      const includeDocumentation = request.includeDocumentation ?? false;
      const results = new Map<Resource, Result>();
      const forward: Array<{ resource: Resource; target: metadataV1.ConfigResource }> = [];
      for (const r of request.resources) {
        const target = toMetadataResource(r, ctx, admin);
        if ('errorCode' in target) results.set(r, target);
        else forward.push({ resource: r, target });
      }
      if (forward.length > 0) {
        try {
          const response = await callMetadata(
            admin.metadata,
            'describeConfigs',
            {
              tenantId: { value: tenant },
              resources: forward.map((f) => ({ resource: f.target, configNames: f.resource.configurationKeys ?? [] })),
              includeSynonyms: request.includeSynonyms,
              includeDocumentation,
            },
            admin.metadataTimeoutMs,
          );
          forward.forEach(({ resource }, i) => {
            const m = response.results[i];
            const code = m?.error?.code ?? ErrorCode.UNKNOWN_SERVER_ERROR;
            results.set(
              resource,
              m && code === ErrorCode.NONE
                ? { errorCode: ErrorCode.NONE, errorMessage: null, resourceType: resource.resourceType, resourceName: resource.resourceName, configs: m.configs.map((e) => entryToWire(e, includeDocumentation)) }
                : failed(resource, code, m?.error?.message || 'No result from metadata.'),
            );
          });
        } catch (err) {
          const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
          ctx.logger.warn({ err, kafkaError: t.code }, 'DescribeConfigs: metadata call failed');
          for (const { resource } of forward) results.set(resource, failed(resource, t.code, t.message));
        }
      }
      const response: DescribeConfigsResponse = { throttleTimeMs: 0, results: request.resources.map((r) => results.get(r) as Result) };
      return { response };
    },
  };
}
