// What MetadataClusterView reads: the watched caches of @stratus/metadata-client (WatchedMap), seen
// through the few members the view uses, so unit tests can feed it hand-made sources.
import type { metadataV1 } from '@stratus/contracts';

export type SourceChange<V> =
  | { readonly type: 'put'; readonly value: V; readonly previous: V | undefined; readonly revision: bigint }
  | { readonly type: 'delete'; readonly previous: V; readonly revision: bigint }
  | { readonly type: 'reset'; readonly revision: bigint };

/** The subset of metadata-client's WatchedMap the view needs. */
export interface ViewSource<V> {
  values(): IterableIterator<V>;
  readonly revision: bigint;
  readonly isReady: boolean;
  ready(timeoutMs?: number): Promise<void>;
  onChange(listener: (change: SourceChange<V>) => void): () => void;
  close(): void;
}

export interface ClusterViewSources {
  /** Topics of every tenant the router serves (or of one tenant). */
  readonly topics: ViewSource<metadataV1.Topic>;
  readonly partitions: ViewSource<metadataV1.PartitionAssignment>;
  /** Registrations with role BROKER. */
  readonly brokers: ViewSource<metadataV1.NodeRegistration>;
  /** Registrations with role ROUTER. */
  readonly routers: ViewSource<metadataV1.NodeRegistration>;
  /** The metadata service's current revision (one cheap RPC); rejects when unreachable. */
  currentRevision(timeoutMs: number): Promise<bigint>;
}
