// A ClusterView whose contents tests set directly: the test double for unit tests of handlers
// (no metadata service, no network). It follows the same visibility rules as the real view:
// topics are per tenant, internal topics are not listed, and a topic id of another tenant is
// unknown.
import { randomUUID } from 'node:crypto';
import type { BrokerEndpoint, ClusterView, PartitionView, RouterEndpoint, TopicView } from './cluster-view';

export interface InMemoryTopicSpec {
  readonly tenantId: string;
  readonly name: string;
  readonly partitionCount: number;
  /** Default: a random UUID. */
  readonly topicId?: Buffer;
  readonly internal?: boolean;
  /** Leader broker of every partition; undefined makes them offline. Default: the first broker, if any. */
  readonly leaderNodeId?: string | null;
  readonly leaderEpoch?: number;
  readonly replicaNodeIds?: readonly string[];
}

export class InMemoryClusterView implements ClusterView {
  private readonly topicsById = new Map<string, TopicView>();
  private readonly partitions = new Map<string, PartitionView>();
  private readonly brokersById = new Map<string, BrokerEndpoint>();
  private readonly routersById = new Map<string, RouterEndpoint>();
  private selfEndpoint: RouterEndpoint;
  /** How many times catchUp was called (tests assert that a handler refreshed its view). */
  catchUpCalls = 0;
  /** Runs on every catchUp before it resolves: lets a test make a change "arrive" on refresh. */
  onCatchUp: (() => void) | undefined;

  constructor(options: { self: RouterEndpoint; routers?: readonly RouterEndpoint[]; brokers?: readonly BrokerEndpoint[] }) {
    this.selfEndpoint = options.self;
    this.routersById.set(options.self.nodeId, options.self);
    for (const r of options.routers ?? []) this.routersById.set(r.nodeId, r);
    for (const b of options.brokers ?? []) this.brokersById.set(b.nodeId, b);
  }

  // ---- ClusterView ----

  topicByName(tenantId: string, name: string): TopicView | undefined {
    for (const t of this.topicsById.values()) if (t.tenantId === tenantId && t.name === name) return t;
    return undefined;
  }

  topicById(tenantId: string, topicId: Buffer): TopicView | undefined {
    const t = this.topicsById.get(topicId.toString('hex'));
    return t && t.tenantId === tenantId ? t : undefined;
  }

  topics(tenantId: string): readonly TopicView[] {
    return [...this.topicsById.values()].filter((t) => t.tenantId === tenantId && !t.internal).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  partition(topicId: Buffer, partition: number): PartitionView | undefined {
    return this.partitions.get(`${topicId.toString('hex')}/${partition}`);
  }

  broker(nodeId: string): BrokerEndpoint | undefined {
    return this.brokersById.get(nodeId);
  }

  brokers(): readonly BrokerEndpoint[] {
    return [...this.brokersById.values()];
  }

  routers(): readonly RouterEndpoint[] {
    return [...this.routersById.values()].sort((a, b) => a.kafkaNodeId - b.kafkaNodeId);
  }

  self(): RouterEndpoint {
    return this.selfEndpoint;
  }

  async catchUp(_timeoutMs: number): Promise<void> {
    this.catchUpCalls++;
    this.onCatchUp?.();
  }

  // ---- test controls ----

  /** Adds (or replaces) a topic and all its partitions; returns the topic. */
  addTopic(spec: InMemoryTopicSpec): TopicView {
    const topicId = spec.topicId ?? Buffer.from(randomUUID().replace(/-/g, ''), 'hex');
    const topic: TopicView = { tenantId: spec.tenantId, name: spec.name, topicId, partitionCount: spec.partitionCount, internal: spec.internal ?? false };
    const existing = this.topicByName(spec.tenantId, spec.name);
    if (existing) this.removeTopic(existing.topicId);
    this.topicsById.set(topicId.toString('hex'), topic);
    const leader = spec.leaderNodeId === null ? undefined : (spec.leaderNodeId ?? this.brokers()[0]?.nodeId);
    for (let p = 0; p < spec.partitionCount; p++) {
      this.setPartition({ topicId, partition: p, leaderNodeId: leader, leaderEpoch: spec.leaderEpoch ?? 0, replicaNodeIds: spec.replicaNodeIds ?? [] });
    }
    return topic;
  }

  removeTopic(topicId: Buffer): void {
    const hex = topicId.toString('hex');
    this.topicsById.delete(hex);
    for (const key of [...this.partitions.keys()]) if (key.startsWith(`${hex}/`)) this.partitions.delete(key);
  }

  setPartition(partition: PartitionView): void {
    this.partitions.set(`${partition.topicId.toString('hex')}/${partition.partition}`, partition);
  }

  removePartition(topicId: Buffer, partition: number): void {
    this.partitions.delete(`${topicId.toString('hex')}/${partition}`);
  }

  setBroker(broker: BrokerEndpoint): void {
    this.brokersById.set(broker.nodeId, broker);
  }

  removeBroker(nodeId: string): void {
    this.brokersById.delete(nodeId);
  }

  setRouter(router: RouterEndpoint): void {
    this.routersById.set(router.nodeId, router);
    if (router.nodeId === this.selfEndpoint.nodeId) this.selfEndpoint = router;
  }

  removeRouter(nodeId: string): void {
    if (nodeId === this.selfEndpoint.nodeId) throw new Error('the answering router cannot be removed from its own view');
    this.routersById.delete(nodeId);
  }
}
