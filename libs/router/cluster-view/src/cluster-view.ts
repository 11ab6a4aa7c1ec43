// What a router knows about the cluster, from metadata watches (never a metadata call per
// request): each tenant's topics, every partition's leader broker, the brokers' gRPC addresses
// and the routers advertised to Kafka clients as their "brokers".
//
// Handlers (Metadata, Produce, Fetch, admin APIs ...) depend on this interface only; the
// metadata-backed implementation and an in-memory one for unit tests both live in this library.

/** A tenant's topic. Names are tenant-scoped; the 16-byte topic id is unique cluster-wide (KIP-516). */
export interface TopicView {
  readonly tenantId: string;
  readonly name: string;
  /** 16 bytes, exactly as on the Kafka wire. */
  readonly topicId: Buffer;
  readonly partitionCount: number;
  /** Stratus-internal topics (e.g. the offsets topic) are never shown to tenants. */
  readonly internal: boolean;
}

/** One partition's placement, as the controller last wrote it. */
export interface PartitionView {
  readonly topicId: Buffer;
  readonly partition: number;
  /** Metadata node id of the leader broker; undefined while the partition is offline. */
  readonly leaderNodeId: string | undefined;
  readonly leaderEpoch: number;
  /** Replication nodes holding the hot log (one per AZ). */
  readonly replicaNodeIds: readonly string[];
}

/** A broker the router can send gRPC requests to. */
export interface BrokerEndpoint {
  readonly nodeId: string;
  /** host:port of the broker's gRPC server. */
  readonly grpcAddress: string;
  readonly availabilityZone: string;
}

/** A router as Kafka clients see it: one "broker" of the tenant's cluster. */
export interface RouterEndpoint {
  readonly nodeId: string;
  /** The int32 broker id in Metadata responses, stable per router node id. */
  readonly kafkaNodeId: number;
  readonly host: string;
  readonly port: number;
  /** Sent as the broker's rack, so clients can fetch from their own AZ (KIP-392). */
  readonly availabilityZone: string;
}

export interface ClusterView {
  topicByName(tenantId: string, name: string): TopicView | undefined;
  topicById(tenantId: string, topicId: Buffer): TopicView | undefined;
  /** The tenant's topics, internal ones excluded. */
  topics(tenantId: string): readonly TopicView[];
  partition(topicId: Buffer, partition: number): PartitionView | undefined;
  broker(nodeId: string): BrokerEndpoint | undefined;
  brokers(): readonly BrokerEndpoint[];
  /** Every live router, this one included, ordered by kafkaNodeId. */
  routers(): readonly RouterEndpoint[];
  /** This router as advertised. */
  self(): RouterEndpoint;
  /**
   * Resolves once the view reflects every metadata change committed before the call (or the
   * timeout passes): used after NOT_LEADER_OR_FOLLOWER from a broker, or after CreateTopics so
   * the creating client sees its topic at once.
   */
  catchUp(timeoutMs: number): Promise<void>;
}
