// DescribeLogDirs (key 35), synthesised. Stratus routers hold no logs (partitions live on
// replication nodes and in tiered storage), but admin UIs call this API on every broker to show
// topic sizes, and fail on UNSUPPORTED_VERSION. Each router answers with one log directory that
// lists the tenant's partitions (all, or the ones asked for) with size 0 and offset lag 0: per
// partition sizes are not tracked by the metadata service, and a router cannot know them.
// Volume totals (v4+) are -1, Kafka's "unknown".
import { ErrorCode } from '@stratus/kafka-errors';
import type { DescribeLogDirsRequest, DescribeLogDirsResponse, DescribeLogDirsResponseDescribeLogDirsTopic } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, tenantOf, type AdminContext } from './admin-context';
import { callMetadata, translateMetadataError } from './metadata-call';

const UNKNOWN_VOLUME_BYTES = -1n;

export function describeLogDirsHandler(admin: AdminContext): ApiHandler {
  return {
    apiKey: 35,
    name: 'DescribeLogDirs',
    minVersion: 1,
    maxVersion: 5,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as DescribeLogDirsRequest;
      let topics: Array<{ name: string; partitionCount: number }>;
      try {
        const listed = await callMetadata(admin.metadata, 'listTopics', { tenantId: { value: tenant }, includeInternal: false }, admin.metadataTimeoutMs);
        topics = listed.topics.filter((t) => !t.internal).map((t) => ({ name: t.name, partitionCount: t.partitionCount }));
      } catch (err) {
        const t = translateMetadataError(err, 'REQUEST_TIMED_OUT');
        ctx.logger.warn({ err, kafkaError: t.code }, 'DescribeLogDirs: metadata call failed');
        // v3+ has a top-level error; every version carries the per-directory one.
        const response: DescribeLogDirsResponse = { throttleTimeMs: 0, errorCode: t.code, results: [{ errorCode: t.code, logDir: admin.logDirPath, topics: [], totalBytes: UNKNOWN_VOLUME_BYTES, usableBytes: UNKNOWN_VOLUME_BYTES, isCordoned: false }] };
        return { response };
      }
      const response: DescribeLogDirsResponse = {
        throttleTimeMs: 0,
        errorCode: ErrorCode.NONE,
        results: [
          {
            errorCode: ErrorCode.NONE,
            logDir: admin.logDirPath,
            topics: selectPartitions(topics, request.topics),
            totalBytes: UNKNOWN_VOLUME_BYTES,
            usableBytes: UNKNOWN_VOLUME_BYTES,
            isCordoned: false,
          },
        ],
      };
      return { response };
    },
  };
}

/** The requested partitions that exist (Kafka leaves out what a broker does not host); null asks for all. */
export function selectPartitions(
  topics: ReadonlyArray<{ name: string; partitionCount: number }>,
  requested: DescribeLogDirsRequest['topics'],
): DescribeLogDirsResponseDescribeLogDirsTopic[] {
  const partition = (partitionIndex: number) => ({ partitionIndex, partitionSize: 0n, offsetLag: 0n, isFutureKey: false });
  const sorted = [...topics].sort((a, b) => a.name.localeCompare(b.name));
  if (requested === null) {
    return sorted.map((t) => ({ name: t.name, partitions: Array.from({ length: t.partitionCount }, (_, i) => partition(i)) }));
  }
  const byName = new Map(sorted.map((t) => [t.name, t]));
  const out: DescribeLogDirsResponseDescribeLogDirsTopic[] = [];
  for (const r of requested) {
    const t = byName.get(r.topic);
    if (!t) continue;
    const indexes = [...new Set(r.partitions)].filter((p) => p >= 0 && p < t.partitionCount).sort((a, b) => a - b);
    if (indexes.length > 0) out.push({ name: t.name, partitions: indexes.map(partition) });
  }
  return out;
}
