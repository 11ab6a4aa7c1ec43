// The segment manifest over gRPC on a real etcd: what tiered-storage sees.
import { status, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { newTopicId } from '@stratus/metadata-model';
import { EtcdKvStore, MetadataStore } from '@stratus/metadata-store';
import { bindGrpcServer, createGrpcClient, createGrpcServer, shutdownGrpcServer, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { startEtcd, useHarness } from '@stratus/platform-testing';
import { topicIdToBytes } from './convert';
import { createMetadataService } from './index';

type Client = metadataV1.MetadataServiceClient;

function call<Req, Res>(client: Client, method: keyof Client, request: Req): Promise<Res> {
  return unaryCall(client, client[method] as unknown as UnaryMethod<Req, Res>, request, { timeoutMs: 10_000 });
}

describe('segment manifest over gRPC on etcd', () => {
  useHarness();
  let client: Client;
  let kv: EtcdKvStore;
  let stop: () => Promise<unknown>;
  const partition = { topicId: { value: topicIdToBytes(newTopicId()) }, partition: 0 };
  const entry = (id: string, base: bigint, end: bigint): metadataV1.SegmentManifestEntry => ({
    partition,
    segmentId: id,
    baseOffset: base,
    endOffset: end,
    sizeBytes: 1n << 40n,
    objectKey: `k/${id}`,
    chunks: [],
    crc32c: 0xffffffff,
    minTimestampMs: 1n,
    maxTimestampMs: 2n,
    epochHistory: [{ epoch: 2, startOffset: base }],
    state: metadataV1.SegmentState.COMMITTED,
    uploadTimeMs: 3n,
  });
  const list = (includeDeleting = false) =>
    call<metadataV1.ListSegmentsRequest, metadataV1.ListSegmentsResponse>(client, 'listSegments', { partition, fromOffset: 0n, includeDeleting, page: undefined });

  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
    const server = createGrpcServer();
    server.addService(metadataV1.MetadataServiceService, createMetadataService(new MetadataStore({ kv })));
    const port = await bindGrpcServer(server, '127.0.0.1', 0);
    client = createGrpcClient(metadataV1.MetadataServiceClient, `127.0.0.1:${port}`);
    stop = () => shutdownGrpcServer(server, { graceMs: 1000 } as never);
  });
  afterAll(async () => {
    client.close();
    await stop();
    await kv.close();
  });

  it('round-trips 64-bit offsets and sizes exactly, and exactly one of two racing conditional adds wins', async () => {
    const big = (1n << 62n) + 7n;
    const empty = await list();
    const racers = await Promise.allSettled([
      call(client, 'addSegments', { segments: [entry('left', 0n, 10n)], expectedRevision: empty.revision }),
      call(client, 'addSegments', { segments: [entry('right', 10n, 20n)], expectedRevision: empty.revision }),
    ]);
    expect(racers.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const loser = racers.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect((loser?.reason as ServiceError).code).toBe(status.ABORTED);
    await call(client, 'addSegments', { segments: [entry('big', big, big + 1n)], expectedRevision: 0n });
    const after = await list();
    expect(after.segments).toHaveLength(2);
    expect(after.segments[1]).toEqual(entry('big', big, big + 1n));
  });

  it('marks DELETING then purges, durably', async () => {
    const before = await list();
    const ids = before.segments.map((s) => s.segmentId);
    await call(client, 'removeSegments', { partition, segmentIds: ids, purge: false, expectedRevision: before.revision });
    expect((await list()).segments).toEqual([]);
    expect((await list(true)).segments.every((s) => s.state === metadataV1.SegmentState.DELETING)).toBe(true);
    await call(client, 'removeSegments', { partition, segmentIds: ids, purge: true, expectedRevision: 0n });
    expect((await list(true)).segments).toEqual([]);
  });
});
