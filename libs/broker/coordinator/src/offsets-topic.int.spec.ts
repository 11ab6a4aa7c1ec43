// ensureOffsetsTopic against a real etcd and metadata app: two brokers of a cell racing at
// start-up end with one compacted offsets topic under the cell's system tenant.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';
import { NodeMembership, createMetadataClient } from '@stratus/metadata-client';
import { unaryCall } from '@stratus/platform-grpc';
import { startApp, startEtcd, freePort, useHarness } from '@stratus/platform-testing';
import { grpcOffsetsTopicAdmin } from './grpc-offsets-topic-admin';
import { ensureOffsetsTopic } from './offsets-topic';

jest.setTimeout(120_000);

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

describe('ensureOffsetsTopic over the metadata service', () => {
  useHarness();

  it('creates the system tenant and the compacted offsets topic once, whoever wins the race', async () => {
    const etcd = await startEtcd();
    const port = await freePort();
    const app = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(','), STRATUS_GRPC_PORT: String(port), STRATUS_LOG_LEVEL: 'warn' } });
    await app.waitReady();
    const client = createMetadataClient(`127.0.0.1:${port}`);
    const members: NodeMembership[] = [];
    try {
      // Partition placement needs live replication nodes in the cell's three AZs.
      for (const az of ['az-1', 'az-2', 'az-3']) {
        const m = NodeMembership.start({
          client,
          logger: quiet,
          node: { nodeId: `repl-${az}`, role: commonV1.NodeRole.REPLICATION, availabilityZone: az, cell: 'cell-1', grpcAddress: `127.0.0.1:1${az.slice(-1)}` },
          leaseTtlMs: 30_000,
        });
        members.push(m);
        expect(await m.whenRegistered(20_000)).toBe(true);
      }
      const admin = grpcOffsetsTopicAdmin(client, { timeoutMs: 10_000 });
      const [a, b] = await Promise.all([ensureOffsetsTopic(admin, { cell: 'cell-1', partitions: 6 }), ensureOffsetsTopic(admin, { cell: 'cell-1', partitions: 6 })]);
      if (!a.ok || !b.ok) throw new Error(`ensureOffsetsTopic failed: ${JSON.stringify([a, b])}`);
      expect(a.value.topicId).toHaveLength(16);
      expect(b.value.topicId.equals(a.value.topicId)).toBe(true);
      expect(a.value).toMatchObject({ name: OFFSETS_TOPIC_NAME, partitionCount: 6 });

      const tenant = await unaryCall(client, client.getTenant, { selector: { $case: 'name', value: systemTenantName('cell-1') } }, { timeoutMs: 10_000 });
      expect(tenant.tenant).toMatchObject({ cell: 'cell-1', tenantId: { value: a.value.tenantId } });
      const described = await unaryCall(
        client,
        client.describeTopics,
        metadataV1.DescribeTopicsRequest.fromPartial({ tenantId: { value: a.value.tenantId }, topics: [{ selector: { $case: 'name', value: OFFSETS_TOPIC_NAME } }] }),
        { timeoutMs: 10_000 },
      );
      expect(described.topics[0]?.topic?.configs['cleanup.policy']).toBe('compact');

      // A later broker start keeps the topic (and its partition count) as it is.
      const again = await ensureOffsetsTopic(admin, { cell: 'cell-1', partitions: 50 });
      expect(again.ok && again.value.partitionCount).toBe(6);
    } finally {
      for (const m of members) await m.close();
      client.close();
    }
  });
});
