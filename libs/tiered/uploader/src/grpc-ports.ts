// SegmentSource over a replication node's ReplicationService (ListSealedSegments, ReadSegment) and
// SegmentManifest over metadata's MetadataService (AddSegments, ListSegments, RemoveSegments).
import { Metadata } from '@grpc/grpc-js';
import { metadataV1, replicationV1 } from '@stratus/contracts';
import { unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { SegmentSourceError, type ManifestView, type PartitionKey, type SegmentManifest, type SegmentSource, type SegmentStreamEvent } from './ports';

const DEFAULT_TIMEOUT_MS = 10_000;

/** A unary call with the port's deadline, through platform-grpc's one promise form. */
function unary<Req, Res>(client: object, method: UnaryMethod<Req, Res>, request: Req, timeoutMs: number): Promise<Res> {
  // Wait-for-ready: a restarting peer costs latency within the deadline, not an instant failure.
  return unaryCall(client, method, request, { timeoutMs, waitForReady: true });
}

const ref = (p: PartitionKey) => ({ topicId: { value: Buffer.from(p.topicId) }, partition: p.partition });

export class GrpcSegmentSource implements SegmentSource {
  constructor(
    private readonly client: replicationV1.ReplicationServiceClient,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  async listSealed(partition: PartitionKey, fromOffset: bigint): Promise<replicationV1.SealedSegment[]> {
    const all: replicationV1.SealedSegment[] = [];
    let pageToken = '';
    do {
      const res = await unary(this.client, this.client.listSealedSegments, { partition: ref(partition), fromOffset, page: { pageSize: 1000, pageToken } }, this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      if (res.error && res.error.code !== replicationV1.ReplicaErrorCode.UNSPECIFIED) throw new SegmentSourceError(`ListSealedSegments: ${res.error.message || res.error.code}`);
      all.push(...res.segments);
      pageToken = res.page?.nextPageToken ?? '';
    } while (pageToken !== '');
    return all;
  }

  async *read(partition: PartitionKey, baseOffset: bigint, options: { chunkSizeBytes: number }): AsyncIterable<SegmentStreamEvent> {
    const stream = this.client.readSegment({ partition: ref(partition), baseOffset, chunkSizeBytes: options.chunkSizeBytes }, new Metadata({ waitForReady: true }));
    try {
      for await (const message of stream as AsyncIterable<replicationV1.ReadSegmentResponse>) {
        const event = message.event;
        if (!event) continue;
        if (event.$case === 'error') throw new SegmentSourceError(`ReadSegment ${baseOffset}: ${event.value.message || event.value.code}`);
        if (event.$case === 'header') yield { type: 'header', segment: event.value };
        else if (event.$case === 'chunk') yield { type: 'chunk', position: event.value.position, data: event.value.data, crc32c: event.value.crc32c };
        else yield { type: 'trailer', sizeBytes: event.value.sizeBytes, crc32c: event.value.crc32c };
      }
    } catch (err) {
      if (err instanceof SegmentSourceError) throw err;
      throw new SegmentSourceError(`ReadSegment ${baseOffset}: ${(err as Error).message}`);
    } finally {
      stream.cancel();
    }
  }
}

export class GrpcSegmentManifest implements SegmentManifest {
  constructor(
    private readonly client: metadataV1.MetadataServiceClient,
    private readonly options: { timeoutMs?: number } = {},
  ) {}

  private get timeout(): number {
    return this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  async list(partition: PartitionKey, options: { fromOffset?: bigint; includeDeleting?: boolean } = {}): Promise<ManifestView> {
    const segments: metadataV1.SegmentManifestEntry[] = [];
    let pageToken = '';
    let revision = 0n;
    do {
      const res = await unary(
        this.client,
        this.client.listSegments,
        { partition: ref(partition), fromOffset: options.fromOffset ?? 0n, includeDeleting: options.includeDeleting ?? false, page: { pageSize: 1000, pageToken } },
        this.timeout,
      );
      segments.push(...res.segments);
      // The first page's revision is the safe one to compare on: later pages cannot be older.
      if (revision === 0n) revision = res.revision;
      pageToken = res.page?.nextPageToken ?? '';
    } while (pageToken !== '');
    return { segments, revision };
  }

  async add(segments: readonly metadataV1.SegmentManifestEntry[], options: { expectedRevision?: bigint } = {}): Promise<{ revision: bigint }> {
    const res = await unary(this.client, this.client.addSegments, { segments: [...segments], expectedRevision: options.expectedRevision ?? 0n }, this.timeout);
    return { revision: res.revision };
  }

  async remove(partition: PartitionKey, segmentIds: readonly string[], options: { purge: boolean; expectedRevision?: bigint }): Promise<{ revision: bigint }> {
    const res = await unary(
      this.client,
      this.client.removeSegments,
      { partition: ref(partition), segmentIds: [...segmentIds], purge: options.purge, expectedRevision: options.expectedRevision ?? 0n },
      this.timeout,
    );
    return { revision: res.revision };
  }
}
