// Everything the broker app wires for consumer groups, in one call: make sure the cell's offsets
// topic exists (retrying while metadata or the cell's replication nodes are not there yet), then
// run a CoordinatorRuntime over the offsets partitions the LeaderDirectory serves, and expose the
// KafkaPassthrough handler for BrokerService. Before the topic is known the handler answers
// COORDINATOR_NOT_AVAILABLE, which clients retry.
import type { LeaderDirectory } from '@stratus/broker-server';
import type { brokerV1 } from '@stratus/contracts';
import { DEFAULT_OFFSETS_TOPIC_PARTITIONS } from '@stratus/coordinator-keys';
import { ErrorCode } from '@stratus/kafka-errors';
import type { GroupConfig } from '@stratus/broker-groups';
import { offsetsLeadershipFrom } from './directory-leadership';
import { ensureOffsetsTopic, type OffsetsTopicAdmin } from './offsets-topic';
import { passthroughHandler, type PassthroughHandler } from './passthrough/handler';
import { CoordinatorRuntime } from './runtime';
import { tenantTopicCatalog, type WatchedTopic } from './topic-catalog';

export interface GroupCoordinationLog {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

export interface GroupCoordinationOptions {
  readonly directory: LeaderDirectory;
  readonly admin: OffsetsTopicAdmin;
  readonly cell: string;
  /** The broker's watched topics of its cell. */
  readonly topics: () => Iterable<WatchedTopic>;
  readonly log: GroupCoordinationLog;
  /** Used only when the topic is created. */
  readonly offsetsTopicPartitions?: number;
  readonly config?: Partial<GroupConfig>;
  /** Pause between attempts to ensure the topic; doubles up to 30 s. */
  readonly retryMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface GroupCoordination {
  readonly passthrough: PassthroughHandler;
  /** The runtime once the offsets topic is known (for readiness and tests). */
  runtime(): CoordinatorRuntime | undefined;
  /** Resolves once the runtime runs (or coordination was closed first). */
  readonly started: Promise<void>;
  close(): void;
}

const unavailable = (message: string): brokerV1.KafkaPassthroughResponse => ({ error: { code: ErrorCode.COORDINATOR_NOT_AVAILABLE, message }, response: Buffer.alloc(0) });

export function startGroupCoordination(opts: GroupCoordinationOptions): GroupCoordination {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref()));
  let runtime: CoordinatorRuntime | undefined;
  let handler: PassthroughHandler | undefined;
  let detach: (() => void) | undefined;
  let closed = false;

  const started = (async () => {
    let wait = opts.retryMs ?? 500;
    for (let attempt = 1; !closed; attempt++) {
      const r = await ensureOffsetsTopic(opts.admin, { cell: opts.cell, partitions: opts.offsetsTopicPartitions ?? DEFAULT_OFFSETS_TOPIC_PARTITIONS });
      if (closed) return;
      if (r.ok) {
        runtime = new CoordinatorRuntime({
          partitionCount: r.value.partitionCount,
          topics: (tenantId) => tenantTopicCatalog(opts.topics(), tenantId),
          ...(opts.config ? { config: opts.config } : {}),
          events: {
            loaded: (p, info) => opts.log.info({ partition: p, records: info.records, endOffset: String(info.endOffset) }, 'offsets partition loaded'),
            loadFailed: (p, e) => opts.log.warn({ partition: p, code: e.code, detail: e.message }, 'offsets partition load failed'),
            writeFailed: (p, e) => opts.log.warn({ partition: p, code: e.code, detail: e.message }, 'offsets partition write failed; state dropped'),
          },
        });
        detach = runtime.attach(offsetsLeadershipFrom(opts.directory, r.value.topicId));
        handler = passthroughHandler(runtime);
        opts.log.info({ topic: r.value.name, partitions: r.value.partitionCount, systemTenant: r.value.tenantId }, 'group coordinator started');
        return;
      }
      opts.log.warn({ attempt, code: r.code, detail: r.message }, 'offsets topic not available yet; retrying');
      await sleep(wait);
      wait = Math.min(wait * 2, 30_000);
    }
  })();

  return {
    passthrough: (request) => (handler ? handler(request) : Promise.resolve(unavailable('the group coordinator is starting'))),
    runtime: () => runtime,
    started,
    close() {
      closed = true;
      detach?.();
      runtime?.close();
    },
  };
}
