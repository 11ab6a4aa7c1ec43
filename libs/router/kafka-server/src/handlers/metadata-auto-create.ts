// Topic auto-creation for Metadata requests (allow_auto_topic_creation, Metadata v4+; implied
// before v4), as Kafka does when auto.create.topics.enable is set — here per tenant, because one
// tenant's choice must not change another's cluster.
import type { metadataV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { unaryCall } from '@stratus/platform-grpc';
import type { ClusterView } from '@stratus/router-cluster-view';

/** Creates missing topics for a tenant; what Metadata calls when the client allows it. */
export interface TopicAutoCreator {
  /**
   * Creates `names` with the tenant's defaults if the tenant permits auto-creation. Resolves the
   * Kafka error per name: NONE (created, or created concurrently by someone else), or why not —
   * UNKNOWN_TOPIC_OR_PARTITION when the tenant does not permit it, INVALID_TOPIC_EXCEPTION,
   * POLICY_VIOLATION (partition limit), REQUEST_TIMED_OUT ... Never rejects.
   */
  create(tenantId: string, names: readonly string[]): Promise<ReadonlyMap<string, number>>;
}

/** The tenant label that opts a tenant into auto-creation (Kafka's broker config name). */
export const AUTO_CREATE_TOPICS_LABEL = 'auto.create.topics.enable';

export interface MetadataTopicAutoCreatorOptions {
  readonly client: Pick<metadataV1.MetadataServiceClient, 'createTopics'>;
  /** Whether the tenant permits auto-creation (e.g. its AUTO_CREATE_TOPICS_LABEL label is "true"). */
  readonly tenantAllows: (tenantId: string) => boolean;
  /** Waited on after a creation so the topic is in the very next answer. */
  readonly view: ClusterView;
  /** Deadline of the CreateTopics call and, separately, of the view catching up; default 5 s. */
  readonly timeoutMs?: number;
}

export class MetadataTopicAutoCreator implements TopicAutoCreator {
  private readonly timeoutMs: number;

  constructor(private readonly options: MetadataTopicAutoCreatorOptions) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
  }

  async create(tenantId: string, names: readonly string[]): Promise<ReadonlyMap<string, number>> {
    if (names.length === 0) return new Map();
    if (!this.options.tenantAllows(tenantId)) return new Map(names.map((n) => [n, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION]));
    let response: metadataV1.CreateTopicsResponse;
    try {
      // -1: the tenant's default partition count and the fixed replication factor (KIP-464).
      // Auto-creation is never refused for the KIP-599 quota (the Metadata API has no such
      // error); it is still charged to the tenant's bucket.
      const request: metadataV1.CreateTopicsRequest = {
        tenantId: { value: tenantId },
        topics: names.map((name) => ({ name, numPartitions: -1, replicationFactor: -1, configs: {} })),
        validateOnly: false,
        timeoutMs: this.timeoutMs,
        strictMutationQuota: false,
      };
      response = await unaryCall(this.options.client, this.options.client.createTopics, request, { timeoutMs: this.timeoutMs });
    } catch {
      // Retriable for the client: it asks for metadata again.
      return new Map(names.map((n) => [n, ErrorCode.LEADER_NOT_AVAILABLE]));
    }
    const results = new Map<string, number>();
    for (const r of response.results) {
      const code = r.error?.code ?? ErrorCode.NONE;
      results.set(r.name, code === ErrorCode.TOPIC_ALREADY_EXISTS ? ErrorCode.NONE : code);
    }
    if ([...results.values()].some((c) => c === ErrorCode.NONE)) await this.options.view.catchUp(this.timeoutMs);
    return new Map(names.map((n) => [n, results.get(n) ?? ErrorCode.UNKNOWN_SERVER_ERROR]));
  }
}
