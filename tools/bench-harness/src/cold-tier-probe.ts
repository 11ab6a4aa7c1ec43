// Where a topic's data lives right now, asked of each target through its own real signal:
// - Stratus: every replication node's GetLogState (local log start after local retention, log
//   end); the lowest local start over the replicas is the hot tier's start, since the broker serves
//   an offset hot while any replica still holds it. A replica's own log start follows its local
//   deletions; the log's start over both tiers is the broker's own rule (readableLogStart) over the
//   replicas' durable start (log_start_offset), that hot start and the segment manifest's first
//   offset (ListSegments).
// - Kafka: ListOffsets EARLIEST (-2), EARLIEST_LOCAL (-4, KIP-405) and LATEST (-1), through Kafka's
//   own GetOffsetShell from the same kafka-tools jars the load uses.
// The wait polls until local retention has dropped everything it can (cold-tier.ts hotTierDrained).
import { execFile } from 'node:child_process';
import { logStartAcrossTiers } from '@stratus/broker-server';
import { commonV1, metadataV1, replicationV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import { joinOffsets, parseGetOffsetShell, summarizeSplit, type PartitionTierOffsets, type TierSplit } from './cold-tier';

/** Reports how much of a topic is below the hot tier's start. */
export type TierProbe = (topic: string, partitions: number) => Promise<TierSplit>;

/**
 * The first offset a client can read (what ListOffsets EARLIEST answers, KIP-405: over both tiers),
 * from the durable log start (replicas' `log_start_offset`, moved by DeleteRecords), the hot tier's
 * first offset and the tier's first offset (undefined when nothing is uploaded). The rule is the
 * broker's own (broker-server logStartAcrossTiers), so the probe cannot drift from what the broker
 * answers; this only maps the replicas' and the manifest's view onto the leader's two starts.
 */
export function readableLogStart(starts: { durableStart: bigint; hotStart: bigint; tieredStart: bigint | undefined }): bigint {
  return logStartAcrossTiers({ logStart: starts.durableStart, localLogStart: starts.hotStart }, starts.tieredStart);
}

export function stratusTierProbe(options: { metadataAddress: string; tenant: string }): TierProbe {
  return async (topic, partitions) => {
    const metadata = createGrpcClient(metadataV1.MetadataServiceClient, options.metadataAddress);
    const replicas: replicationV1.ReplicationServiceClient[] = [];
    try {
      const tenant = await unaryCall(metadata, metadata.getTenant, metadataV1.GetTenantRequest.fromPartial({ selector: { $case: 'name', value: options.tenant } }), { timeoutMs: 15_000 });
      const topics = await unaryCall(metadata, metadata.listTopics, metadataV1.ListTopicsRequest.fromPartial({ tenantId: tenant.tenant?.tenantId }), { timeoutMs: 15_000 });
      const topicId = topics.topics.find((t) => t.name === topic)?.topicId;
      if (!topicId) throw new Error(`topic ${topic} is not in Stratus metadata`);
      const nodes = await unaryCall(metadata, metadata.listNodes, metadataV1.ListNodesRequest.fromPartial({ role: commonV1.NodeRole.REPLICATION }), { timeoutMs: 15_000 });
      for (const n of nodes.nodes) if (n.node?.grpcAddress) replicas.push(createGrpcClient(replicationV1.ReplicationServiceClient, n.node.grpcAddress));
      if (replicas.length === 0) throw new Error('no replication node is registered');
      const offsets = await Promise.all(
        Array.from({ length: partitions }, async (_, partition): Promise<PartitionTierOffsets> => {
          const ref = { topicId, partition };
          // A node that holds no replica of this partition (or is down) answers an error: skip it.
          const states = (
            await Promise.all(replicas.map((r) => unaryCall(r, r.getLogState, replicationV1.GetLogStateRequest.fromPartial({ partition: ref }), { timeoutMs: 15_000 }).catch(() => undefined)))
          ).flatMap((s) => (s?.state && !(s.error && s.error.code !== 0) ? [s.state] : []));
          if (states.length === 0) throw new Error(`no replica answered GetLogState for ${topic}-${partition}`);
          const hotStart = states.map((s) => (s.localLogStartOffset > s.logStartOffset ? s.localLogStartOffset : s.logStartOffset)).reduce((min, o) => (o < min ? o : min));
          // The manifest's lowest committed segment is where the tiered log starts (entries are never
          // removed above the log start, and local retention only drops what the manifest holds).
          const manifest = await unaryCall(metadata, metadata.listSegments, metadataV1.ListSegmentsRequest.fromPartial({ partition: ref, fromOffset: 0n }), { timeoutMs: 15_000 });
          const tieredStart = manifest.segments.reduce<bigint | undefined>((min, seg) => (min === undefined || seg.baseOffset < min ? seg.baseOffset : min), undefined);
          // The durable start is persisted by a quorum before DeleteRecords is answered, so the
          // highest any replica reports is the one the leader serves from.
          const durableStart = states.map((s) => s.logStartOffset).reduce((max, o) => (o > max ? o : max));
          const logStart = Number(readableLogStart({ durableStart, hotStart, tieredStart }));
          // A replica learns the committed offset lazily (with the next append), so after the fill it
          // can trail the leader's high watermark; the fill was acks=all, so its end is the log end.
          const end = Math.max(...states.map((s) => Number(s.logEndOffset > s.committedOffset ? s.logEndOffset : s.committedOffset)));
          return { partition, logStart, hotStart: Number(hotStart), end };
        }),
      );
      return summarizeSplit(offsets);
    } finally {
      for (const r of replicas) r.close();
      metadata.close();
    }
  };
}

function getOffsets(options: { classpath: string; bootstrap: string; propertiesFile: string; topic: string; time: number }): Promise<Map<number, number>> {
  const args = ['-Xmx128m', '-cp', options.classpath, 'org.apache.kafka.tools.GetOffsetShell', '--bootstrap-server', options.bootstrap, '--topic', options.topic, '--time', String(options.time), '--command-config', options.propertiesFile];
  return new Promise((resolve, reject) => {
    execFile('java', args, { timeout: 120_000, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`GetOffsetShell --time ${options.time} failed: ${(stderr || error.message).slice(0, 1500)}`));
      else {
        try {
          resolve(parseGetOffsetShell(stdout, options.topic));
        } catch (parseError) {
          reject(parseError as Error);
        }
      }
    });
  });
}

export function kafkaTierProbe(options: { classpath: string; bootstrap: string; propertiesFile: string }): TierProbe {
  return async (topic, partitions) => {
    const ask = (time: number): Promise<Map<number, number>> => getOffsets({ ...options, topic, time });
    // EARLIEST (-2) spans both tiers, EARLIEST_LOCAL (-4) is the local log start, LATEST (-1) the HW.
    const [earliest, earliestLocal, latest] = await Promise.all([ask(-2), ask(-4), ask(-1)]);
    return summarizeSplit(joinOffsets({ partitions, earliest, earliestLocal, latest }));
  };
}

export class ColdTierTimeoutError extends Error {
  constructor(
    message: string,
    readonly lastSplit: TierSplit | undefined,
  ) {
    super(message);
    this.name = 'ColdTierTimeoutError';
  }
}

/**
 * Polls until `drained` holds for the topic. A failed probe (a JVM that did not start in time, a
 * node busy on a loaded machine) is retried until the deadline; the last error is in the timeout.
 */
export async function waitForColdTier(options: {
  probe: TierProbe;
  topic: string;
  partitions: number;
  drained: (split: TierSplit) => boolean;
  timeoutMs: number;
  intervalMs?: number;
  onSplit?: (split: TierSplit) => void;
}): Promise<TierSplit> {
  const deadline = Date.now() + options.timeoutMs;
  let last: TierSplit | undefined;
  let lastError = '';
  for (;;) {
    try {
      last = await options.probe(options.topic, options.partitions);
      options.onSplit?.(last);
      if (options.drained(last)) return last;
    } catch (error) {
      lastError = (error as Error).message;
    }
    if (Date.now() >= deadline) {
      const where = last ? `${(last.coldFraction * 100).toFixed(1)}% of ${last.records} records below the hot start` : 'no answer from the probe';
      throw new ColdTierTimeoutError(`the hot tier still held the data after ${Math.round(options.timeoutMs / 1000)} s (${where})${lastError ? `; last probe error: ${lastError}` : ''}`, last);
    }
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 3000));
  }
}
