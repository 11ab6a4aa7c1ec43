// Deleting a topic deletes its tiered objects (issue 9 item 4), through the real processes: etcd,
// the metadata app and the tiered-storage app on a file:// store. The test plays the uploader's
// part for two partitions (objects in the app's store folder, entries through metadata
// AddSegments) plus an orphan object no entry names, then deletes the topic with DeleteTopics: the
// app, as the partitions' owner, removes every entry and object. A second topic is left alone.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { createMetadataClient, NodeMembership } from '@stratus/metadata-client';
import { unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { makeTempDir, startApp, startEtcd, useHarness, waitFor } from '@stratus/platform-testing';
import { FileObjectStore, listAll, type ObjectStore } from '@stratus/tiered-object-store';
import { GrpcSegmentManifest, MemorySegmentSource, partitionPrefix, uploadPartitionPass } from '@stratus/tiered-uploader';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { makeSegments } from './memory-manifest.testkit';

jest.setTimeout(180_000);

function call<Req, Res>(client: metadataV1.MetadataServiceClient, method: UnaryMethod<Req, Res>, req: Req): Promise<Res> {
  return unaryCall(client, method, req, { timeoutMs: 10_000 });
}

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  const out: string[] = [];
  for await (const o of listAll(store, prefix)) out.push(o.key);
  return out;
}

describe('topic deletion reaches the object store', () => {
  useHarness();

  it('removes the manifest entries and objects (orphans included) of every partition of a deleted topic', async () => {
    const etcd = await startEtcd();
    const metadata = await startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(',') } });
    await metadata.waitReady();
    const client = createMetadataClient(metadata.grpcAddress);
    const dir = await makeTempDir('tiered-topic-delete');
    const storeDir = join(dir.path, 'object-store');
    const store = await FileObjectStore.open(storeDir);
    const members: NodeMembership[] = [];
    try {
      // Topic creation needs replication nodes in three AZs; nothing listens at their addresses, so
      // an upload pass against them fails (after its deadline) and changes nothing.
      for (const az of ['az-1', 'az-2', 'az-3']) {
        const m = NodeMembership.start({ client, logger: { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined }, node: { nodeId: `repl-${az}`, role: commonV1.NodeRole.REPLICATION, availabilityZone: az, cell: 'cell-1', grpcAddress: `127.0.0.1:1${az.slice(-1)}` }, leaseTtlMs: 60_000 });
        members.push(m);
        expect(await m.whenRegistered(20_000)).toBe(true);
      }
      const tenant = (await call(client, client.createTenant, metadataV1.CreateTenantRequest.fromPartial({ name: 'acme', cell: 'cell-1' }))).tenant?.tenantId?.value ?? '';
      const create = async (name: string) => {
        const res = await call(client, client.createTopics, metadataV1.CreateTopicsRequest.fromPartial({ tenantId: { value: tenant }, topics: [{ name, numPartitions: 2, replicationFactor: -1, configs: {} }], timeoutMs: 5_000 }));
        const id = res.results[0]?.topicId?.value;
        if (!id) throw new Error(`CreateTopics ${name}: ${JSON.stringify(res.results[0]?.error)}`);
        return Buffer.from(id);
      };
      const doomed = await create('doomed');
      const kept = await create('kept');
      const manifest = new GrpcSegmentManifest(client);
      // Recent timestamps, so topic retention (7 days) has nothing to delete on its own.
      const segments = () => makeSegments(2, { timestampMs: BigInt(Date.now()) });
      const addresses = [0, 1].map((partition) => ({ tenantId: tenant, topicId: doomed, partition }));
      for (const address of [...addresses, { tenantId: tenant, topicId: kept, partition: 0 }]) {
        await uploadPartitionPass({ address, source: new MemorySegmentSource(segments()), manifest, store });
      }
      await store.putIfAbsent(`${partitionPrefix(addresses[0] ?? (undefined as never))}orphan-of-a-crashed-upload.log`, Buffer.from('partial'));
      expect(await keys(store, `${tenant}/${doomed.toString('hex')}/`)).toHaveLength(5);

      const tiered = await startApp('tiered-storage', {
        env: {
          STRATUS_METADATA_ADDRESS: metadata.grpcAddress,
          STRATUS_OBJECT_STORE_URL: pathToFileURL(storeDir).href,
          STRATUS_CACHE_DIR: join(dir.path, 'cache'),
          STRATUS_NODE_ID: 'tiered-del-1',
          STRATUS_CELL: 'cell-1',
          // Rounds are rare, so passes against the unreachable replicas rarely delay the deletion
          // (it waits for a running pass of the partition to end).
          STRATUS_UPLOAD_INTERVAL_MS: '600000',
          STRATUS_METADATA_LEASE_TTL_MS: '60000',
        },
      });
      await tiered.waitReady();
      // Give the app's watches their first snapshot before the deletion (a node that starts after
      // a deletion does not learn of it: docs/tiered-storage.md "Not yet").
      await waitFor(async () => ((await call(client, client.listNodes, metadataV1.ListNodesRequest.fromPartial({}))).nodes.some((n) => n.node?.nodeId === 'tiered-del-1') ? true : undefined), {
        description: 'the tiered node registered',
        timeoutMs: 30_000,
      });
      await new Promise((r) => setTimeout(r, 2_000));

      const deleted = await call(client, client.deleteTopics, metadataV1.DeleteTopicsRequest.fromPartial({ tenantId: { value: tenant }, topics: [{ selector: { $case: 'name', value: 'doomed' } }], timeoutMs: 5_000 }));
      expect(deleted.results[0]?.error?.code ?? 0).toBe(0);

      await waitFor(async () => ((await keys(store, `${tenant}/${doomed.toString('hex')}/`)).length === 0 ? true : undefined), { description: "the deleted topic's objects gone", timeoutMs: 120_000 });
      for (const address of addresses) expect((await manifest.list(address, { includeDeleting: true })).segments).toEqual([]);
      // The other topic keeps its objects and entries.
      expect(await keys(store, `${tenant}/${kept.toString('hex')}/`)).toHaveLength(2);
      expect((await manifest.list({ topicId: kept, partition: 0 })).segments).toHaveLength(2);
      expect((await tiered.stop({ timeoutMs: 15_000 })).code).toBe(0);
    } finally {
      await Promise.all(members.map((m) => m.close()));
      await store.close();
      client.close();
    }
  });
});
