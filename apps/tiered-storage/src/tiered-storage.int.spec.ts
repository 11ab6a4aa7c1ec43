// The real tiered-storage app against a real metadata service (on a real etcd) with a file://
// object store: it starts, becomes ready, registers as TIERED_STORAGE with its AZ, cell and
// address, answers Fetch for a partition with no tiered data with UNKNOWN_PARTITION, runs audit
// passes (GetAuditStatus), answers GetTieringStatus and DeletePartition, and deregisters on SIGTERM.
import { credentials } from '@grpc/grpc-js';
import { commonV1, metadataV1, tieredV1 } from '@stratus/contracts';
import { createMetadataClient } from '@stratus/metadata-client';
import { unaryCall } from '@stratus/platform-grpc';
import { makeTempDir, startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

jest.setTimeout(120_000);

async function listNodes(client: metadataV1.MetadataServiceClient): Promise<metadataV1.NodeRegistration[]> {
  return (await unaryCall(client, client.listNodes, { role: commonV1.NodeRole.TIERED_STORAGE, cell: '' }, { timeoutMs: 5_000 })).nodes;
}

describe('tiered-storage app', () => {
  useHarness();

  it('registers, becomes ready on a file:// store and answers reads for an unknown partition', async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    const dir = await makeTempDir('tiered-app');
    const client = createMetadataClient(metadata.grpcAddress);
    const tiered = await startApp('tiered-storage', {
      env: {
        STRATUS_METADATA_ADDRESS: metadata.grpcAddress,
        STRATUS_OBJECT_STORE_URL: pathToFileURL(join(dir.path, 'object-store')).href,
        STRATUS_CACHE_DIR: join(dir.path, 'cache'),
        STRATUS_NODE_ID: 'tiered-it-1',
        STRATUS_AZ: 'az-3',
        STRATUS_CELL: 'cell-1',
        STRATUS_UPLOAD_INTERVAL_MS: '500',
        STRATUS_METADATA_LEASE_TTL_MS: '60000',
        STRATUS_AUDIT_INTERVAL_MS: '1000',
      },
    });
    const tieredClient = new tieredV1.TieredStorageServiceClient(tiered.grpcAddress, credentials.createInsecure());
    try {
      await tiered.waitReady();
      const node = await waitFor(async () => (await listNodes(client)).find((n) => n.node?.nodeId === 'tiered-it-1'), { description: 'the tiered node in ListNodes', timeoutMs: 20_000 });
      expect(node.node).toEqual({ nodeId: 'tiered-it-1', role: commonV1.NodeRole.TIERED_STORAGE, placement: { cell: 'cell-1', availabilityZone: 'az-3' }, grpcAddress: tiered.grpcAddress });

      const fetched = await unaryCall(
        tieredClient,
        tieredClient.fetch,
        { partition: { topicId: { value: Buffer.alloc(16, 0x42) }, partition: 0 }, offset: 0n, maxBytes: 1024, maxOffset: 0n },
        { timeoutMs: 10_000 },
      );
      expect(fetched.error?.code).toBe(tieredV1.TieredErrorCode.UNKNOWN_PARTITION);

      const audit = () => unaryCall(tieredClient, tieredClient.getAuditStatus, { tenantId: undefined, includeRepaired: false }, { timeoutMs: 10_000 });
      // The audit runs in the background: a completed pass (over no partitions) shows up.
      const passed = await waitFor(async () => ((await audit()).lastPassEndTimeMs > 0n ? await audit() : undefined), { description: 'a completed audit pass', timeoutMs: 30_000 });
      expect(passed).toMatchObject({ partitionsVerified: 0n, findings: [] });
      const tiering = await unaryCall(tieredClient, tieredClient.getTieringStatus, { partitions: [], tenantId: undefined }, { timeoutMs: 10_000 });
      expect(tiering.partitions).toEqual([]);
      const deleted = await unaryCall(
        tieredClient,
        tieredClient.deletePartition,
        { partition: { topicId: { value: Buffer.alloc(16, 0x42) }, partition: 0 }, tenantId: { value: 'lkc-none' } },
        { timeoutMs: 10_000 },
      );
      expect(deleted).toMatchObject({ segmentsDeleted: 0, bytesDeleted: 0n });
      expect(deleted.error).toBeUndefined();

      expect((await tiered.stop({ timeoutMs: 15_000 })).code).toBe(0);
      // The lease is 60 s: the node is gone because it deregistered.
      expect((await listNodes(client)).map((n) => n.node?.nodeId)).not.toContain('tiered-it-1');
    } finally {
      tieredClient.close();
      client.close();
    }
  });
});
