// The real replication app registers with a real metadata service (on a real etcd) so the
// controller can place replica sets on it, stays ready when metadata is unreachable, and
// deregisters as soon as it shuts down.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { createMetadataClient } from '@stratus/metadata-client';
import { unaryCall } from '@stratus/platform-grpc';
import { freePort, startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';

jest.setTimeout(120_000);

async function listNodes(client: metadataV1.MetadataServiceClient): Promise<metadataV1.NodeRegistration[]> {
  return (await unaryCall(client, client.listNodes, { role: commonV1.NodeRole.REPLICATION, cell: '' }, { timeoutMs: 5_000 })).nodes;
}

describe('replication app membership', () => {
  useHarness();

  it('registers with its AZ, cell and bound address, and deregisters on SIGTERM', async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    const client = createMetadataClient(metadata.grpcAddress);
    try {
      const replication = await startApp('replication', {
        env: { STRATUS_METADATA_ADDRESS: metadata.grpcAddress, STRATUS_NODE_ID: 'repl-it-1', STRATUS_AZ: 'az-2', STRATUS_CELL: 'cell-1', STRATUS_METADATA_LEASE_TTL_MS: '60000' },
      });
      await replication.waitReady();
      const node = await waitFor(async () => (await listNodes(client)).find((n) => n.node?.nodeId === 'repl-it-1'), {
        description: 'the replication node in ListNodes',
        timeoutMs: 20_000,
      });
      expect(node.node).toEqual({
        nodeId: 'repl-it-1',
        role: commonV1.NodeRole.REPLICATION,
        placement: { cell: 'cell-1', availabilityZone: 'az-2' },
        grpcAddress: replication.grpcAddress,
      });
      expect(node.generation).toBeGreaterThan(0n);

      const stopped = await replication.stop({ timeoutMs: 15_000 });
      expect(stopped.code).toBe(0);
      // The lease is 60 s: the node is gone because it deregistered.
      expect((await listNodes(client)).map((n) => n.node?.nodeId)).not.toContain('repl-it-1');
    } finally {
      client.close();
    }
  });

  it('is ready although the metadata service is unreachable, and says so in its log', async () => {
    const nowhere = `127.0.0.1:${await freePort()}`;
    const replication = await startApp('replication', { env: { STRATUS_METADATA_ADDRESS: nowhere, STRATUS_NODE_ID: 'repl-it-2' } });
    await replication.waitReady();
    await replication.process.waitForLine((line) => (line.includes('node registration failed') ? true : undefined), {
      timeoutMs: 20_000,
      description: 'a warning that registration fails',
    });
    expect((await replication.stop({ timeoutMs: 15_000 })).code).toBe(0);
  });
});
