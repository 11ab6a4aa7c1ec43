// The fetch half of bench-router-overhead (issue 8: "produce and fetch throughput through router →
// broker → replication versus the broker alone"). Lanes read the benchmark topic's partitions
// from offset 0 to the high watermark and wrap around, so both paths read the same bytes, from the
// same places (the leader's tail cache for recent batches, the replicas below it). The two
// readers: the brokers alone (directReader) and through the routers (routerReader).
import { brokerV1 } from '@stratus/contracts';
import type { RawClient } from '@stratus/kafka-raw-client';
import type { FetchResponse } from '@stratus/kafka-messages';
import { splitBatches } from '@stratus/kafka-records';
import type { BrokerRpc } from '@stratus/router-broker-routing';

export interface ReadResult {
  /** Record bytes returned. */
  readonly bytes: number;
  /** The offset after the last whole batch returned (the next fetch offset). */
  readonly next: bigint;
  readonly highWatermark: bigint;
}

/** One fetch of `partition` at `offset`; undefined when it failed (the caller counts errors). */
export type Read = (partition: number, offset: bigint, lane: number) => Promise<ReadResult | undefined>;

/** Kafka record batch v2: baseOffset int64 at 0, lastOffsetDelta int32 at 23. */
const LAST_OFFSET_DELTA_AT = 23;

/** The offset after the last whole batch in `records`, or `offset` when there is none. */
export function nextOffsetAfter(records: Buffer | null | undefined, offset: bigint): bigint {
  if (!records || records.length === 0) return offset;
  const split = splitBatches(records);
  if (!split.ok) return offset;
  const last = split.value.batches.at(-1);
  if (!last) return offset;
  return last.readBigInt64BE(0) + BigInt(last.readInt32BE(LAST_OFFSET_DELTA_AT)) + 1n;
}

/** Keeps `lanes` reads in flight for `seconds`; MB/s of record bytes read, and a read's mean time. */
export async function driveReads(
  read: Read,
  options: { readonly partitions: number; readonly lanes: number; readonly seconds: number },
): Promise<{ mbps: number; megabytes: number; errors: number; meanMs: number }> {
  const end = Date.now() + options.seconds * 1000;
  let bytes = 0;
  let errors = 0;
  let reads = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: options.lanes }, async (_, lane) => {
      const partition = lane % options.partitions;
      let offset = 0n;
      while (Date.now() < end) {
        const result = await read(partition, offset, lane);
        reads += 1;
        if (!result) {
          errors += 1;
          offset = 0n;
          await new Promise((resolve) => setTimeout(resolve, 20));
          continue;
        }
        bytes += result.bytes;
        // At the high watermark (or nothing whole returned) start over from the beginning.
        offset = result.bytes === 0 || result.next >= result.highWatermark || result.next <= offset ? 0n : result.next;
      }
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - t0) / 1e9;
  // Every lane always has one read outstanding, so a read's mean time is lanes × elapsed ÷ reads (Little's law).
  return { mbps: bytes / (1024 * 1024) / elapsed, megabytes: bytes / (1024 * 1024), errors, meanMs: reads > 0 ? (options.lanes * elapsed * 1000) / reads : Number.NaN };
}

/** What both readers share. */
export interface ReaderOptions {
  /** Fetch max_bytes and partition_max_bytes alike (one partition per request). */
  readonly maxBytes: number;
  readonly timeoutMs: number;
  /**
   * The reading consumer's zone (client.rack, KIP-392), sent on both paths: the brokers read from
   * a replica of this zone, so both paths make the servers do the same work. A direct read without
   * it could go to any replica while the router always names one, which measured a replica
   * placement policy instead of the router.
   */
  readonly clientZone: string;
  /** Tallies a failure by what it was; the bench prints the tally at the end. */
  readonly countError: (what: string) => void;
}

export interface DirectReaderOptions extends ReaderOptions {
  /** The router's own broker client (BrokerConnections): what a router sends after its Kafka front end. */
  readonly rpc: Pick<BrokerRpc, 'fetch'>;
  /** The partition's leader broker as the cluster view knows it now. */
  readonly leaderOf: (partition: number) => string | undefined;
  readonly topicId: Buffer;
  readonly tenantId: string;
  readonly principal: string;
}

/**
 * The brokers alone: one partition per broker Fetch (the router's translation of Fetch v12),
 * max_wait 0 so a read at the high watermark answers at once instead of long-polling.
 */
export function directReader(options: DirectReaderOptions): Read {
  const fail = (what: string): undefined => {
    options.countError(`direct fetch: ${what}`);
    return undefined;
  };
  return async (partition, offset) => {
    const leader = options.leaderOf(partition);
    if (!leader) return undefined;
    // A literal rather than fromPartial: nothing but the request itself is built per measured read.
    const request = {
      header: { correlationId: 0n, tenantId: { value: options.tenantId }, apiVersion: 12, clientId: 'bench', principal: options.principal, clientAvailabilityZone: options.clientZone, timeoutMs: 30_000, clientHost: '' },
      maxWaitMs: 0,
      minBytes: 1,
      maxBytes: options.maxBytes,
      isolationLevel: brokerV1.IsolationLevel.READ_UNCOMMITTED,
      partitions: [{ partition: { topicId: { value: options.topicId }, partition }, fetchOffset: offset, currentLeaderEpoch: -1, lastFetchedEpoch: -1, partitionMaxBytes: options.maxBytes }],
    } as brokerV1.FetchRequest;
    const response = await options.rpc.fetch(leader, request, options.timeoutMs).catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    const answer = response?.partitions[0];
    if (!answer) return undefined;
    const code = answer.error?.code ?? 0;
    if (code !== 0) return fail(`Kafka error ${code}`);
    return { bytes: answer.records.length, next: nextOffsetAfter(answer.records, offset), highWatermark: answer.highWatermark };
  };
}

export interface RouterReaderOptions extends ReaderOptions {
  /** One authenticated Kafka connection per lane, spread over the routers as a client's are. */
  readonly lanes: readonly Pick<RawClient, 'call'>[];
  readonly topic: string;
}

/** Through the routers: Kafka Fetch v12 (one partition, max_wait 0) on the lane's own connection. */
export function routerReader(options: RouterReaderOptions): Read {
  const fail = (what: string): undefined => {
    options.countError(`router fetch: ${what}`);
    return undefined;
  };
  return async (partition, offset, lane) => {
    const conn = options.lanes[lane];
    if (!conn) return fail(`no connection for lane ${lane}`);
    const response = await conn
      .call<FetchResponse>(
        1,
        12,
        {
          replicaId: -1,
          maxWaitMs: 0,
          minBytes: 1,
          maxBytes: options.maxBytes,
          isolationLevel: 0,
          sessionId: 0,
          sessionEpoch: -1,
          topics: [{ topic: options.topic, partitions: [{ partition, currentLeaderEpoch: -1, fetchOffset: offset, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: options.maxBytes }] }],
          forgottenTopicsData: [],
          rackId: options.clientZone,
        },
        options.timeoutMs,
      )
      .catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
    const answer = response?.body.responses[0]?.partitions[0];
    if (!answer) return undefined;
    if (answer.errorCode !== 0) return fail(`Kafka error ${answer.errorCode}`);
    return { bytes: answer.records?.length ?? 0, next: nextOffsetAfter(answer.records, offset), highWatermark: answer.highWatermark };
  };
}
