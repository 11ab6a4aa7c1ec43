// DescribeConfigs / AlterConfigs / IncrementalAlterConfigs for topics. Alter replaces the whole
// set of explicit configs (Kafka's legacy semantics); incremental alter applies KIP-339 ops. Both
// validate the result first and write with a compare on the topic's mod revision.
import {
  applyIncrementalAlter,
  describeTopicConfigs,
  fail,
  ok,
  validateTopicConfigs,
  type AlterConfigOp,
  type ConfigEntry,
  type Result,
  type TenantId,
  type TopicConfigs,
} from '@stratus/metadata-model';
import { encode } from './codec';
import { CONFLICT, retryOnConflict, type StoreContext } from './context';
import type { TopicStore } from './topics';
import type { Topic } from './types';

const unknown = (): Result<never> => fail('UNKNOWN_TOPIC_OR_PARTITION', 'This server does not host this topic-partition.');

export class TopicConfigStore {
  constructor(
    private readonly ctx: StoreContext,
    private readonly topics: TopicStore,
  ) {}

  async describe(tenant: TenantId, name: string, configNames?: readonly string[]): Promise<Result<ConfigEntry[]>> {
    const found = await this.topics.find(tenant, { name });
    return found ? ok(describeTopicConfigs(found.value.configs, configNames)) : unknown();
  }

  async alter(request: { tenantId: TenantId; name: string; configs: Readonly<Record<string, string | null>>; validateOnly?: boolean }): Promise<Result<TopicConfigs>> {
    return this.update(request.tenantId, request.name, request.validateOnly ?? false, () => validateTopicConfigs(request.configs));
  }

  async incrementalAlter(request: { tenantId: TenantId; name: string; ops: readonly AlterConfigOp[]; validateOnly?: boolean }): Promise<Result<TopicConfigs>> {
    return this.update(request.tenantId, request.name, request.validateOnly ?? false, (current) => applyIncrementalAlter(current, request.ops));
  }

  private update(tenant: TenantId, name: string, validateOnly: boolean, change: (current: TopicConfigs) => Result<TopicConfigs>): Promise<Result<TopicConfigs>> {
    return retryOnConflict(async () => {
      const found = await this.topics.find(tenant, { name });
      if (!found) return unknown();
      const next = change(found.value.configs);
      if (!next.ok || validateOnly) return next;
      const key = this.ctx.keys.topic(tenant, name);
      const topic: Topic = { ...found.value, configs: next.value };
      const result = await this.ctx.kv.txn([{ key, target: 'modRevision', op: '==', value: found.modRevision }], [{ type: 'put', key, value: encode(topic) }]);
      return result.succeeded ? next : CONFLICT;
    });
  }
}
