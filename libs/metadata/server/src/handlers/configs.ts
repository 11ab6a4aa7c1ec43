// Config RPCs for topic resources, plus DescribeConfigs of the tenant's read-only BROKER view
// (cluster defaults). Other resource types (group ...) and changes to anything but topics are
// answered per item with INVALID_REQUEST: the metadata service owns only topic configs.
import { metadataV1 } from '@stratus/contracts';
import { TOPIC_CONFIG_DEFS, type AlterOp } from '@stratus/metadata-model';
import type { MetadataStore } from '@stratus/metadata-store';
import { configEntryToProto, kafkaError, NONE } from '../convert';
import { requireTenant, unary } from '../rpc';
import { configTypeOf, describeBrokerConfigs, topicSynonyms } from './configs-broker';

const NOT_TOPIC = { code: 42, message: 'Only TOPIC config resources are served by the metadata service.' };

const OP: Partial<Record<metadataV1.AlterConfigOp, AlterOp>> = {
  [metadataV1.AlterConfigOp.SET]: 'SET',
  [metadataV1.AlterConfigOp.DELETE]: 'DELETE',
  [metadataV1.AlterConfigOp.APPEND]: 'APPEND',
  [metadataV1.AlterConfigOp.SUBTRACT]: 'SUBTRACT',
};

const isTopic = (r: metadataV1.ConfigResource | undefined): r is metadataV1.ConfigResource => r?.type === metadataV1.ConfigResourceType.TOPIC;

export function configHandlers(store: MetadataStore) {
  return {
    describeConfigs: unary(async (req: metadataV1.DescribeConfigsRequest): Promise<metadataV1.DescribeConfigsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const results: metadataV1.DescribeConfigsResult[] = [];
      for (const r of req.resources) {
        if (r.resource?.type === metadataV1.ConfigResourceType.BROKER) {
          const configs = describeBrokerConfigs({ names: r.configNames, includeSynonyms: req.includeSynonyms, includeDocumentation: req.includeDocumentation });
          results.push({ resource: r.resource, error: NONE, configs });
          continue;
        }
        if (!isTopic(r.resource)) {
          results.push({ resource: r.resource, error: NOT_TOPIC, configs: [] });
          continue;
        }
        const d = await store.configs.describe(tenant, r.resource.name, r.configNames);
        results.push(
          d.ok
            ? {
                resource: r.resource,
                error: NONE,
                configs: d.value.map((e) => {
                  const def = TOPIC_CONFIG_DEFS.get(e.name);
                  const entry = configEntryToProto(e, { type: configTypeOf(def), documentation: req.includeDocumentation ? def?.doc : undefined });
                  return req.includeSynonyms ? { ...entry, synonyms: topicSynonyms(entry) } : entry;
                }),
              }
            : { resource: r.resource, error: kafkaError(d.error), configs: [] },
        );
      }
      return { results };
    }),
    alterConfigs: unary(async (req: metadataV1.AlterConfigsRequest): Promise<metadataV1.AlterConfigsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const results: metadataV1.AlterConfigsResult[] = [];
      for (const r of req.resources) {
        if (!isTopic(r.resource)) {
          results.push({ resource: r.resource, error: NOT_TOPIC });
          continue;
        }
        const configs = Object.fromEntries(r.configs.map((c) => [c.name, c.value ?? null]));
        const a = await store.configs.alter({ tenantId: tenant, name: r.resource.name, configs, validateOnly: req.validateOnly });
        results.push({ resource: r.resource, error: a.ok ? NONE : kafkaError(a.error) });
      }
      return { results };
    }),
    incrementalAlterConfigs: unary(async (req: metadataV1.IncrementalAlterConfigsRequest): Promise<metadataV1.IncrementalAlterConfigsResponse> => {
      const tenant = requireTenant(req.tenantId);
      const results: metadataV1.IncrementalAlterConfigsResult[] = [];
      for (const r of req.resources) {
        if (!isTopic(r.resource)) {
          results.push({ resource: r.resource, error: NOT_TOPIC });
          continue;
        }
        const badOp = r.configs.find((c) => OP[c.op] === undefined);
        if (badOp) {
          results.push({ resource: r.resource, error: { code: 42, message: `Unknown operation for ${badOp.name}` } });
          continue;
        }
        const ops = r.configs.map((c) => ({ name: c.name, op: OP[c.op] as AlterOp, value: c.value ?? null }));
        const a = await store.configs.incrementalAlter({ tenantId: tenant, name: r.resource.name, ops, validateOnly: req.validateOnly });
        results.push({ resource: r.resource, error: a.ok ? NONE : kafkaError(a.error) });
      }
      return { results };
    }),
  };
}
