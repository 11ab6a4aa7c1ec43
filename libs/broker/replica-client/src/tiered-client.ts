// The broker's client of the tiered-storage service (tieredV1 Fetch, ListOffsetsByTimestamp,
// TrimPartition after DeleteRecords).
// Nodes come from the metadata registry (role TIERED_STORAGE). A partition is read through one
// preferred node — rendezvous hashing of the partition over node ids, so its chunks stay warm in
// that node's SSD cache — falling through to the others when a node cannot answer. Every call has
// a deadline: a cold read may take an object-store round trip, never forever.
import { createHash } from 'node:crypto';
import type { ServiceError } from '@grpc/grpc-js';
import { tieredV1, type commonV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall, type GrpcClientOptions, type UnaryMethod } from '@stratus/platform-grpc';

/** Structurally the TierPort outcomes of @stratus/broker-server (tier-read.ts). */
export type TieredFetchOutcome =
  | { readonly kind: 'records'; readonly records: Buffer; readonly nextOffset: bigint; readonly tieredStart: bigint; readonly tieredEnd: bigint }
  | { readonly kind: 'out_of_range'; readonly tieredStart: bigint; readonly tieredEnd: bigint }
  | { readonly kind: 'none' }
  | { readonly kind: 'unavailable'; readonly message: string };

export type TieredTimestampOutcome =
  | { readonly kind: 'found'; readonly offset: bigint; readonly timestampMs: bigint; readonly leaderEpoch: number }
  | { readonly kind: 'not_found' }
  | { readonly kind: 'none' }
  | { readonly kind: 'unavailable'; readonly message: string };

export type TieredTrimOutcome =
  | { readonly kind: 'trimmed'; readonly tieredStart: bigint | undefined; readonly segmentsDeleted: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'unavailable'; readonly message: string };

export interface TieredStorageClientOptions {
  /** Live tiered-storage nodes: id and gRPC address (from the metadata watch). */
  readonly nodes: () => readonly { readonly nodeId: string; readonly address: string }[];
  /** Deadline of one call (default 30 s: a cold read may wait for the object store's retries). */
  readonly timeoutMs?: number;
  readonly grpc?: GrpcClientOptions;
}

const Code = tieredV1.TieredErrorCode;

export class TieredStorageClient {
  private readonly clients = new Map<string, { address: string; client: tieredV1.TieredStorageServiceClient }>();
  private closed = false;

  constructor(private readonly options: TieredStorageClientOptions) {}

  async fetch(partition: commonV1.PartitionRef, request: { readonly offset: bigint; readonly maxBytes: number; readonly maxOffset: bigint }): Promise<TieredFetchOutcome> {
    const req = tieredV1.FetchRequest.fromPartial({ partition, offset: request.offset, maxBytes: request.maxBytes, maxOffset: request.maxOffset });
    return this.withNodes<tieredV1.FetchResponse, TieredFetchOutcome>(partition, (c) => [c.fetch, req], (res) => {
      const code = res.error?.code ?? Code.UNSPECIFIED;
      if (code === Code.UNSPECIFIED) return { kind: 'records', records: Buffer.from(res.records), nextOffset: res.nextOffset, tieredStart: res.tieredLogStartOffset, tieredEnd: res.tieredEndOffset };
      if (code === Code.UNKNOWN_PARTITION) return { kind: 'none' };
      if (code === Code.OFFSET_OUT_OF_RANGE) return { kind: 'out_of_range', tieredStart: res.tieredLogStartOffset, tieredEnd: res.tieredEndOffset };
      return undefined;
    });
  }

  async offsetForTimestamp(partition: commonV1.PartitionRef, timestampMs: bigint): Promise<TieredTimestampOutcome> {
    const req = tieredV1.ListOffsetsByTimestampRequest.fromPartial({ partition, timestampMs });
    return this.withNodes<tieredV1.ListOffsetsByTimestampResponse, TieredTimestampOutcome>(partition, (c) => [c.listOffsetsByTimestamp, req], (res) => {
      const code = res.error?.code ?? Code.UNSPECIFIED;
      if (code === Code.UNSPECIFIED) return res.found ? { kind: 'found', offset: res.offset, timestampMs: res.timestampMs, leaderEpoch: res.leaderEpoch } : { kind: 'not_found' };
      if (code === Code.UNKNOWN_PARTITION) return { kind: 'none' };
      return undefined;
    });
  }

  /**
   * Deletes the tiered segments wholly below a new log start (DeleteRecords). Sent to the
   * partition's preferred node like reads; any node can serve it (the manifest is in metadata).
   */
  async trim(partition: commonV1.PartitionRef, logStartOffset: bigint): Promise<TieredTrimOutcome> {
    const req = tieredV1.TrimPartitionRequest.fromPartial({ partition, logStartOffset });
    return this.withNodes<tieredV1.TrimPartitionResponse, TieredTrimOutcome>(partition, (c) => [c.trimPartition, req], (res) => {
      const code = res.error?.code ?? Code.UNSPECIFIED;
      if (code !== Code.UNSPECIFIED) return undefined;
      // The service answers the requested offset as the tiered start when nothing is left.
      return { kind: 'trimmed', tieredStart: res.tieredLogStartOffset, segmentsDeleted: res.segmentsDeleted };
    });
  }

  close(): void {
    this.closed = true;
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }

  /**
   * Tries the nodes in preference order. `decide` maps an answer to an outcome, or undefined
   * for a node-local failure (object store, corrupt chunk, not ready) worth trying elsewhere.
   * No node registered means no tiered storage in this cell: `none`.
   */
  private async withNodes<Res, Out extends { kind: string }>(
    partition: commonV1.PartitionRef,
    method: (client: tieredV1.TieredStorageServiceClient) => [UnaryMethod<never, Res>, unknown],
    decide: (res: Res & { error?: { code: number; message: string } }) => Out | undefined,
  ): Promise<Out | { kind: 'none' } | { kind: 'unavailable'; message: string }> {
    const nodes = this.ordered(partition);
    if (nodes.length === 0 || this.closed) return { kind: 'none' };
    const problems: string[] = [];
    for (const node of nodes) {
      const client = this.clientFor(node.nodeId, node.address);
      const [fn, request] = method(client);
      try {
        const res = await unaryCall(client, fn as unknown as UnaryMethod<unknown, Res>, request, { timeoutMs: this.options.timeoutMs ?? 30_000 });
        const typed = res as Res & { error?: { code: number; message: string } };
        const out = decide(typed);
        if (out) return out;
        problems.push(`${node.nodeId}: ${typed.error?.message || `tiered error ${typed.error?.code}`}`);
      } catch (err) {
        problems.push(`${node.nodeId}: ${(err as ServiceError).details || (err as Error).message}`);
      }
    }
    return { kind: 'unavailable', message: problems.join('; ') };
  }

  private ordered(partition: commonV1.PartitionRef): { nodeId: string; address: string }[] {
    const id = partition.topicId?.value ?? new Uint8Array(0);
    const key = `${Buffer.from(id).toString('hex')}/${partition.partition}`;
    const score = (nodeId: string) => createHash('sha256').update(`${nodeId}\0${key}`).digest('hex');
    return this.options
      .nodes()
      .filter((n) => n.address !== '')
      .map((n) => ({ ...n, score: score(n.nodeId) }))
      .sort((a, b) => (a.score > b.score ? -1 : a.score < b.score ? 1 : 0));
  }

  private clientFor(nodeId: string, address: string): tieredV1.TieredStorageServiceClient {
    const existing = this.clients.get(nodeId);
    if (existing && existing.address === address) return existing.client;
    existing?.client.close();
    const client = createGrpcClient(tieredV1.TieredStorageServiceClient, address, this.options.grpc);
    this.clients.set(nodeId, { address, client });
    return client;
  }
}
