// The metadata store: every piece of cluster state Stratus keeps in etcd, behind one object.
// It is written once against the KvStore port, so the same code runs on etcd in production and
// on the in-memory store in unit tests.
import { isValidIdSegment, type TenantId } from '@stratus/metadata-model';
import { DEFAULT_ROOT, Keyspace, type NodeKind } from '../keys/keyspace';
import type { KvStore } from '../kv/kv';
import { WatchProgress } from '../watch/watch-progress';
import { watchPrefix, type ResourceEvent, type ResourceWatchHandle, type ResourceWatchOptions } from '../watch/resource-watch';
import { AclStore, type StoredAcl } from './acls';
import { ApiKeyStore } from './api-keys';
import { ScramCredentialStore } from './scram-credentials';
import type { StoreContext } from './context';
import { NodeStore } from './nodes';
import { ProducerIdAllocator } from './producer-ids';
import { TenantStore } from './tenants';
import { TopicConfigStore } from './topic-configs';
import { TopicStore } from './topics';
import type { NodeRegistration, StoredApiKey, Tenant, Topic, TopicPartitions } from './types';

export interface MetadataStoreOptions {
  readonly kv: KvStore;
  readonly root?: string;
  readonly now?: () => number;
  readonly scramIterations?: number;
  /** How often idle watch streams are considered for `progress` (default 1 s). */
  readonly watchProgressIntervalMs?: number;
}

export type WatchTarget =
  | { readonly kind: 'tenants' }
  | { readonly kind: 'topics'; readonly tenantId?: TenantId }
  | { readonly kind: 'partitions'; readonly tenantId?: TenantId }
  | { readonly kind: 'nodes'; readonly nodeKind?: NodeKind }
  // API keys live under one prefix for all tenants (a key id alone names a SASL user); callers
  // filter by tenant. Values carry hashes: never forward them as they are.
  | { readonly kind: 'apiKeys' }
  | { readonly kind: 'acls'; readonly tenantId?: TenantId };

type WatchValue<W extends WatchTarget> = W['kind'] extends 'tenants'
  ? Tenant
  : W['kind'] extends 'topics'
    ? Topic
    : W['kind'] extends 'partitions'
      ? TopicPartitions
      : W['kind'] extends 'apiKeys'
        ? StoredApiKey
        : W['kind'] extends 'acls'
          ? StoredAcl
          : NodeRegistration;

export class MetadataStore {
  readonly keys: Keyspace;
  readonly kv: KvStore;
  readonly tenants: TenantStore;
  readonly apiKeys: ApiKeyStore;
  readonly scramCredentials: ScramCredentialStore;
  readonly topics: TopicStore;
  readonly configs: TopicConfigStore;
  readonly nodes: NodeStore;
  readonly producerIds: ProducerIdAllocator;
  readonly acls: AclStore;
  /** One progress clock for every watch stream served from this store (watch/watch-progress.ts). */
  readonly watchProgress: WatchProgress;

  constructor(options: MetadataStoreOptions) {
    this.kv = options.kv;
    this.keys = new Keyspace(options.root ?? DEFAULT_ROOT);
    const ctx: StoreContext = { kv: options.kv, keys: this.keys, now: options.now ?? Date.now };
    this.tenants = new TenantStore(ctx);
    this.apiKeys = new ApiKeyStore(ctx, { scramIterations: options.scramIterations });
    this.scramCredentials = new ScramCredentialStore(ctx);
    this.nodes = new NodeStore(ctx);
    this.topics = new TopicStore(ctx, this.nodes);
    this.configs = new TopicConfigStore(ctx, this.topics);
    this.producerIds = new ProducerIdAllocator(ctx);
    this.acls = new AclStore(ctx);
    this.watchProgress = new WatchProgress(options.kv, { probePrefix: this.keys.revisionProbe(), intervalMs: options.watchProgressIntervalMs });
  }

  /** Snapshot + changes for one resource family, optionally scoped to one tenant. */
  watch<W extends WatchTarget>(
    target: W,
    options: ResourceWatchOptions,
    listener: (event: ResourceEvent<WatchValue<W>>) => void,
  ): Promise<ResourceWatchHandle> {
    return watchPrefix(this.kv, this.prefixOf(target), options, listener);
  }

  private prefixOf(target: WatchTarget): string {
    const scoped = (id: TenantId | undefined): TenantId | undefined => {
      if (id !== undefined && !isValidIdSegment(id)) throw new RangeError(`invalid tenant id ${JSON.stringify(id)}`);
      return id;
    };
    switch (target.kind) {
      case 'tenants':
        return this.keys.tenants();
      case 'topics':
        return this.keys.topics(scoped(target.tenantId));
      case 'partitions':
        return this.keys.partitions(scoped(target.tenantId));
      case 'nodes':
        return this.keys.nodes(target.nodeKind);
      case 'apiKeys':
        return this.keys.apiKeys();
      case 'acls':
        return this.keys.acls(scoped(target.tenantId));
    }
  }
}
