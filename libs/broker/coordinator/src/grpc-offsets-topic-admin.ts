// OffsetsTopicAdmin over the metadata service's gRPC client (GetTenant, CreateTenant,
// DescribeTopics, CreateTopics). Whole-request failures become outcomes carrying their Kafka code
// (platform-grpc's status mapping); the broker's start-up retries ensureOffsetsTopic.
import { Metadata, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { grpcErrorToKafkaError } from '@stratus/platform-grpc';
import type { AdminOutcome, OffsetsTopicAdmin, OffsetsTopicInfo } from './offsets-topic';

type Callback<T> = (err: ServiceError | null, res?: T) => void;


export function grpcOffsetsTopicAdmin(client: metadataV1.MetadataServiceClient, opts: { timeoutMs: number }): OffsetsTopicAdmin {
  const call = <T>(fn: (md: Metadata, o: { deadline: Date }, cb: Callback<T>) => void): Promise<{ err: ServiceError | null; res: T | undefined }> =>
    new Promise((resolve) => fn(new Metadata(), { deadline: new Date(Date.now() + opts.timeoutMs) }, (err, res) => resolve({ err, res })));
  const fault = (err: ServiceError | null): { ok: false; code: number; message: string } => ({
    ok: false,
    code: err ? grpcErrorToKafkaError(err) : ErrorCode.UNKNOWN_SERVER_ERROR,
    message: err?.details ?? err?.message ?? 'empty metadata response',
  });
  const info = (id: Uint8Array | undefined, partitions: number): OffsetsTopicInfo => ({ topicId: Buffer.from(id ?? new Uint8Array(0)), partitionCount: partitions });

  return {
    async findTenantByName(name): Promise<AdminOutcome<string | undefined>> {
      const { err, res } = await call<metadataV1.GetTenantResponse>((md, o, cb) => client.getTenant({ selector: { $case: 'name', value: name } }, md, o, cb));
      // GetTenant answers an unknown name with RESOURCE_NOT_FOUND (as a gRPC status).
      if (err && grpcErrorToKafkaError(err) === ErrorCode.RESOURCE_NOT_FOUND) return { ok: true, value: undefined };
      if (err || !res) return fault(err);
      return { ok: true, value: res.tenant?.tenantId?.value };
    },
    async createTenant(name, cell): Promise<AdminOutcome<string>> {
      const { err, res } = await call<metadataV1.CreateTenantResponse>((md, o, cb) => client.createTenant(metadataV1.CreateTenantRequest.fromPartial({ name, cell }), md, o, cb));
      if (err || !res?.tenant?.tenantId) return fault(err);
      return { ok: true, value: res.tenant.tenantId.value };
    },
    async describeTopic(tenantId, name): Promise<AdminOutcome<OffsetsTopicInfo | undefined>> {
      const request = metadataV1.DescribeTopicsRequest.fromPartial({ tenantId: { value: tenantId }, topics: [{ selector: { $case: 'name', value: name } }] });
      const { err, res } = await call<metadataV1.DescribeTopicsResponse>((md, o, cb) => client.describeTopics(request, md, o, cb));
      if (err || !res) return fault(err);
      const d = res.topics[0];
      if (!d?.topic || (d.error && d.error.code !== 0)) return { ok: true, value: undefined };
      return { ok: true, value: info(d.topic.topicId?.value, d.topic.partitionCount) };
    },
    async createTopic(tenantId, topic): Promise<AdminOutcome<OffsetsTopicInfo>> {
      const request = metadataV1.CreateTopicsRequest.fromPartial({
        tenantId: { value: tenantId },
        topics: [{ name: topic.name, numPartitions: topic.partitions, replicationFactor: -1, configs: topic.configs }],
        timeoutMs: opts.timeoutMs,
      });
      const { err, res } = await call<metadataV1.CreateTopicsResponse>((md, o, cb) => client.createTopics(request, md, o, cb));
      if (err || !res) return fault(err);
      const r = res.results[0];
      if (!r) return fault(null);
      if (r.error && r.error.code !== 0) return { ok: false, code: r.error.code, message: r.error.message };
      return { ok: true, value: info(r.topicId?.value, r.numPartitions) };
    },
  };
}
