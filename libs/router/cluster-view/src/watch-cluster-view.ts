// Builds a MetadataClusterView over the metadata service's Watch streams (@stratus/metadata-client).
import { commonV1 } from '@stratus/contracts';
import { currentMetadataRevision, watchNodes, watchPartitions, watchTopics, type MetadataClient, type WatchLogger } from '@stratus/metadata-client';
import { MetadataClusterView, type SelfListener } from './metadata-cluster-view';

export interface WatchClusterViewOptions {
  readonly logger: WatchLogger;
  readonly self: SelfListener;
  /** Watch only this tenant's topics and partitions (a dedicated router); default every tenant. */
  readonly tenantId?: string;
  /** Which registered Kafka listener of peer routers to advertise; default each one's first. */
  readonly listenerName?: string;
}

/** Starts the four watches (topics, partitions, BROKER and ROUTER nodes); close() stops them. */
export function watchClusterView(client: MetadataClient, options: WatchClusterViewOptions): MetadataClusterView {
  const { logger, tenantId } = options;
  return new MetadataClusterView({
    sources: {
      topics: watchTopics(client, { logger, ...(tenantId ? { tenantId } : {}) }),
      partitions: watchPartitions(client, { logger, ...(tenantId ? { tenantId } : {}) }),
      brokers: watchNodes(client, { logger, role: commonV1.NodeRole.BROKER }),
      routers: watchNodes(client, { logger, role: commonV1.NodeRole.ROUTER }),
      currentRevision: (timeoutMs) => currentMetadataRevision(client, timeoutMs),
    },
    self: options.self,
    ...(options.listenerName ? { listenerName: options.listenerName } : {}),
  });
}
