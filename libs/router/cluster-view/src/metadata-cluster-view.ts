// ClusterView over the metadata watches: indexes kept current from each cache's change events, so
// a lookup on the data path is a Map get (no metadata call, no scan over all topics).
import type { metadataV1 } from '@stratus/contracts';
import type { BrokerEndpoint, ClusterView, PartitionView, RouterEndpoint, TopicView } from './cluster-view';
import { toBrokerEndpoint, toPartitionView, toRouterEndpoint, toTopicView, topicIdKey } from './metadata-conversions';
import type { ClusterViewSources, SourceChange, ViewSource } from './metadata-sources';
import { fnv1a } from './placement';

/** This router as it advertises itself; the Kafka node id comes from its registration. */
export interface SelfListener {
  readonly nodeId: string;
  readonly host: string;
  readonly port: number;
  readonly availabilityZone: string;
}

export interface MetadataClusterViewOptions {
  readonly sources: ClusterViewSources;
  readonly self: SelfListener;
  /** Which registered Kafka listener to advertise for peers; default each router's first. */
  readonly listenerName?: string;
}

/**
 * How long catchUp lets the other streams deliver once one cache has reached the target revision.
 * All watch streams come from the same metadata server and etcd, so once one has delivered
 * revision R the others' events up to R are already on the wire; this only covers that gap.
 */
const STREAM_SKEW_MS = 25;

/** How often a catch-up wait re-reads the caches' revisions. */
const REVISION_POLL_MS = 10;

type ItemChange<V> = Exclude<SourceChange<V>, { type: 'reset' }>;

export class MetadataClusterView implements ClusterView {
  private readonly topicsById = new Map<string, TopicView>();
  private readonly topicsByTenant = new Map<string, Map<string, TopicView>>();
  private readonly partitionsByKey = new Map<string, PartitionView>();
  private readonly brokersById = new Map<string, BrokerEndpoint>();
  private readonly routersById = new Map<string, RouterEndpoint>();
  private sortedRouters: readonly RouterEndpoint[] | undefined;
  private assignedKafkaNodeId: number | undefined;
  private selfListener: SelfListener;
  private readonly unsubscribe: Array<() => void> = [];
  private readonly sources: ClusterViewSources;
  private readonly all: ReadonlyArray<ViewSource<unknown>>;
  private readonly changeWaiters = new Set<() => void>();

  constructor(private readonly options: MetadataClusterViewOptions) {
    this.sources = options.sources;
    this.selfListener = options.self;
    const s = this.sources;
    this.all = [s.topics, s.partitions, s.brokers, s.routers] as ReadonlyArray<ViewSource<unknown>>;
    this.follow(s.topics, () => this.rebuildTopics(), (c) => this.applyTopic(c));
    this.follow(s.partitions, () => this.rebuildPartitions(), (c) => this.applyPartition(c));
    this.follow(s.brokers, () => this.rebuildBrokers(), (c) => this.applyBroker(c));
    this.follow(s.routers, () => this.rebuildRouters(), () => this.rebuildRouters());
  }

  // ---- ClusterView ----

  topicByName(tenantId: string, name: string): TopicView | undefined {
    return this.topicsByTenant.get(tenantId)?.get(name);
  }

  topicById(tenantId: string, topicId: Buffer): TopicView | undefined {
    const topic = this.topicsById.get(topicId.toString('hex'));
    // Topic ids are cluster-wide; another tenant's id must look exactly like an unknown one.
    return topic && topic.tenantId === tenantId ? topic : undefined;
  }

  topics(tenantId: string): readonly TopicView[] {
    const byName = this.topicsByTenant.get(tenantId);
    if (!byName) return [];
    return [...byName.values()].filter((t) => !t.internal).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  partition(topicId: Buffer, partition: number): PartitionView | undefined {
    return this.partitionsByKey.get(`${topicId.toString('hex')}/${partition}`);
  }

  broker(nodeId: string): BrokerEndpoint | undefined {
    return this.brokersById.get(nodeId);
  }

  brokers(): readonly BrokerEndpoint[] {
    return [...this.brokersById.values()];
  }

  routers(): readonly RouterEndpoint[] {
    if (!this.sortedRouters) {
      const self = this.self();
      const byId = new Map(this.routersById);
      byId.set(self.nodeId, self);
      this.sortedRouters = [...byId.values()].sort((a, b) => a.kafkaNodeId - b.kafkaNodeId);
    }
    return this.sortedRouters;
  }

  self(): RouterEndpoint {
    const s = this.selfListener;
    return { nodeId: s.nodeId, host: s.host, port: s.port, availabilityZone: s.availabilityZone, kafkaNodeId: this.selfKafkaNodeId() };
  }

  async catchUp(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    let target: bigint;
    try {
      target = await this.sources.currentRevision(timeoutMs);
    } catch {
      // Metadata unreachable: the caches are as current as they can be.
      return;
    }
    const ready = () => this.all.every((s) => s.isReady);
    const reached = () => ready() && this.all.some((s) => s.revision >= target);
    if (!(await this.waitFor(reached, deadline - Date.now()))) return;
    await this.waitFor(() => this.all.every((s) => s.revision >= target), Math.min(STREAM_SKEW_MS, deadline - Date.now()));
  }

  // ---- lifecycle ----

  /** Resolves once every cache holds its first complete snapshot (rejects after timeoutMs). */
  async ready(timeoutMs: number): Promise<void> {
    await Promise.all(this.all.map((s) => s.ready(timeoutMs)));
  }

  get isReady(): boolean {
    return this.all.every((s) => s.isReady);
  }

  /**
   * The Kafka node id the metadata service assigned this router when it registered (stable per
   * router node id). Until it is known the view uses its own registration as watched, else a
   * provisional id (see selfKafkaNodeId).
   */
  setKafkaNodeId(kafkaNodeId: number): void {
    this.assignedKafkaNodeId = kafkaNodeId;
    this.sortedRouters = undefined;
  }

  /** The host and port this router advertises, once known (a listener on port 0 learns it when bound). */
  setAdvertisedListener(listener: { readonly host: string; readonly port: number }): void {
    this.selfListener = { ...this.selfListener, host: listener.host, port: listener.port };
    this.sortedRouters = undefined;
  }

  close(): void {
    for (const u of this.unsubscribe.splice(0)) u();
    for (const s of this.all) s.close();
    for (const wake of [...this.changeWaiters]) wake();
  }

  // ---- internals ----

  private selfKafkaNodeId(): number {
    if (this.assignedKafkaNodeId !== undefined) return this.assignedKafkaNodeId;
    const watched = this.routersById.get(this.selfListener.nodeId);
    if (watched) return watched.kafkaNodeId;
    // Not registered yet (metadata unreachable at start-up): a provisional id in the upper half
    // of int32, stable for this node id, so Metadata answers stay usable. Clients only map node
    // ids to host:port, and this one maps to this very router.
    return 0x40000000 + (fnv1a(this.selfListener.nodeId) % 0x3fffffff);
  }

  private follow<V>(source: ViewSource<V>, rebuild: () => void, apply: (change: ItemChange<V>) => void): void {
    rebuild();
    this.unsubscribe.push(
      source.onChange((change) => {
        if (change.type === 'reset') rebuild();
        else apply(change);
        for (const wake of [...this.changeWaiters]) wake();
      }),
    );
  }

  private waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
    if (condition()) return Promise.resolve(true);
    if (timeoutMs <= 0) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (result: boolean) => {
        clearTimeout(timer);
        clearInterval(poll);
        this.changeWaiters.delete(check);
        resolve(result);
      };
      const check = () => {
        if (condition()) finish(true);
      };
      const timer = setTimeout(() => finish(condition()), timeoutMs);
      // A watch progress message moves a cache's revision without a change event: look again
      // now and then, not only when something changed.
      const poll = setInterval(check, REVISION_POLL_MS);
      this.changeWaiters.add(check);
    });
  }

  private rebuildTopics(): void {
    this.topicsById.clear();
    this.topicsByTenant.clear();
    for (const t of this.sources.topics.values()) this.addTopic(toTopicView(t));
  }

  private applyTopic(change: ItemChange<metadataV1.Topic>): void {
    if (change.previous) this.removeTopic(change.previous);
    if (change.type === 'put') this.addTopic(toTopicView(change.value));
  }

  private addTopic(topic: TopicView | undefined): void {
    if (!topic) return;
    this.topicsById.set(topic.topicId.toString('hex'), topic);
    let byName = this.topicsByTenant.get(topic.tenantId);
    if (!byName) this.topicsByTenant.set(topic.tenantId, (byName = new Map()));
    byName.set(topic.name, topic);
  }

  private removeTopic(previous: metadataV1.Topic): void {
    const id = previous.topicId?.value;
    if (!id) return;
    const key = topicIdKey(id);
    const topic = this.topicsById.get(key);
    if (!topic) return;
    this.topicsById.delete(key);
    const byName = this.topicsByTenant.get(topic.tenantId);
    // Only drop the name if it still points at this id (a re-created topic has a new id).
    if (byName?.get(topic.name) === topic) byName.delete(topic.name);
    if (byName?.size === 0) this.topicsByTenant.delete(topic.tenantId);
  }

  private rebuildPartitions(): void {
    this.partitionsByKey.clear();
    for (const p of this.sources.partitions.values()) this.addPartition(toPartitionView(p));
  }

  private applyPartition(change: ItemChange<metadataV1.PartitionAssignment>): void {
    if (change.type === 'delete') {
      const gone = toPartitionView(change.previous);
      if (gone) this.partitionsByKey.delete(`${gone.topicId.toString('hex')}/${gone.partition}`);
    } else {
      this.addPartition(toPartitionView(change.value));
    }
  }

  private addPartition(p: PartitionView | undefined): void {
    if (p) this.partitionsByKey.set(`${p.topicId.toString('hex')}/${p.partition}`, p);
  }

  private rebuildBrokers(): void {
    this.brokersById.clear();
    for (const n of this.sources.brokers.values()) {
      const b = toBrokerEndpoint(n);
      if (b) this.brokersById.set(b.nodeId, b);
    }
  }

  private applyBroker(change: ItemChange<metadataV1.NodeRegistration>): void {
    const id = (change.type === 'put' ? change.value : change.previous).node?.nodeId;
    if (id) this.brokersById.delete(id);
    const b = change.type === 'put' ? toBrokerEndpoint(change.value) : undefined;
    if (b) this.brokersById.set(b.nodeId, b);
  }

  private rebuildRouters(): void {
    // Routers are few (tens): rebuilding on each change keeps the sorted list trivially right.
    this.routersById.clear();
    for (const n of this.sources.routers.values()) {
      const r = toRouterEndpoint(n, { listenerName: this.options.listenerName });
      if (r) this.routersById.set(r.nodeId, r);
    }
    this.sortedRouters = undefined;
  }
}
