// The router's view of the cluster and its own membership in it (issue 8 item 4):
//  - a MetadataClusterView over the metadata watches, which the Kafka handlers answer from;
//  - the cluster APIs built on it (Metadata, DescribeCluster, DescribeTopicPartitions,
//    FindCoordinator), with per-tenant topic auto-creation;
//  - registration as a ROUTER node (AZ, cell, Kafka listener), so every router advertises its
//    peers as the brokers of each tenant's cluster and learns its own Kafka node id.
import { hostname } from 'node:os';
import { commonV1, type metadataV1 } from '@stratus/contracts';
import { NodeMembership, watchTenants, type WatchedMap } from '@stratus/metadata-client';
import type { Logger } from '@stratus/platform-logging';
import type { ServiceContext, StartedPorts } from '@stratus/platform-service';
import { watchClusterView, type MetadataClusterView } from '@stratus/router-cluster-view';
import {
  AUTO_CREATE_TOPICS_LABEL,
  MetadataTopicAutoCreator,
  clusterMetadataHandler,
  describeClusterHandler,
  describeTopicPartitionsHandler,
  findCoordinatorHandler,
  type ApiHandler,
  type ViewReadiness,
} from '@stratus/router-kafka-server';
import type { RouterConfig } from './config';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '']);

/** A wildcard bind address cannot be dialled: advertise the host name instead. */
function dialable(bindHost: string): string {
  return ALL_INTERFACES.has(bindHost) ? hostname() : bindHost;
}

/** The Kafka host and port clients are sent to: explicit config first, else what was bound. */
export function advertisedKafkaListener(config: RouterConfig, bound: { port: number }): { host: string; port: number } {
  return { host: config.kafkaAdvertisedHost ?? dialable(config.bindHost), port: config.kafkaAdvertisedPort ?? bound.port };
}

/** host:port of this router's gRPC server (health) as registered with metadata. */
export function advertisedGrpcAddress(config: RouterConfig, ports: StartedPorts): string {
  const host = config.grpcAdvertisedHost ?? dialable(config.bindHost);
  const port = config.grpcAdvertisedPort ?? ports.grpcPort;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export interface RouterCluster {
  readonly view: MetadataClusterView;
  /** Tenants with their settings and effective quotas; shared by every router component that needs them. */
  readonly tenants: WatchedMap<string, metadataV1.Tenant>;
  /** Metadata, DescribeCluster, DescribeTopicPartitions and FindCoordinator over the view. */
  readonly handlers: readonly ApiHandler[];
  /** Call once the Kafka listener is bound: fixes the advertised address and registers this router. */
  advertise(listener: { readonly port: number }): void;
}

export function startRouterCluster(
  context: ServiceContext<RouterConfig>,
  options: { readonly metadata: metadataV1.MetadataServiceClient; readonly logger: Logger },
): RouterCluster {
  const { config } = context;
  const { metadata } = options;
  const logger = options.logger.child({ component: 'cluster-view' });
  const view = watchClusterView(metadata, {
    logger,
    self: { nodeId: config.nodeId, availabilityZone: config.az, ...advertisedKafkaListener(config, { port: config.kafkaPort }) },
    listenerName: config.kafkaListenerName,
  });
  const tenants = watchTenants(metadata, { logger });
  context.onShutdown('cluster-view', () => {
    view.close();
    tenants.close();
  });
  // Readiness does not wait for the view (a metadata outage at start-up must not take every router
  // out of its load balancer); instead topic answers wait for the first snapshot and, failing
  // that, close the connection so the client retries — never "no such topic" from an empty view.
  const readiness: ViewReadiness = {
    whenReady: async (timeoutMs) => {
      try {
        await Promise.all([view.ready(timeoutMs), tenants.ready(timeoutMs)]);
        return true;
      } catch {
        return false;
      }
    },
    timeoutMs: config.clusterViewCatchUpTimeoutMs,
  };

  const autoCreate = new MetadataTopicAutoCreator({
    client: metadata,
    view,
    tenantAllows: (tenantId) => tenants.get(tenantId)?.labels[AUTO_CREATE_TOPICS_LABEL] === 'true',
    timeoutMs: config.clusterViewCatchUpTimeoutMs,
  });
  const handlers = [
    clusterMetadataHandler({ view, autoCreate, readiness }),
    describeClusterHandler({ view }),
    describeTopicPartitionsHandler({ view, readiness }),
    findCoordinatorHandler({ view }),
  ];

  const advertise = (listener: { readonly port: number }): void => {
    const kafka = advertisedKafkaListener(config, listener);
    view.setAdvertisedListener(kafka);
    context.onStarted('router-membership', (ports) => {
      const grpcAddress = advertisedGrpcAddress(config, ports);
      const kafkaListener: metadataV1.KafkaListener = {
        name: config.kafkaListenerName,
        host: kafka.host,
        port: kafka.port,
        securityProtocol: config.kafkaTlsCertFile !== undefined ? 'SASL_SSL' : 'SASL_PLAINTEXT',
      };
      logger.info({ grpcAddress, kafkaListener, az: config.az, cell: config.cell }, 'registering this router with the metadata service');
      const membership = NodeMembership.start({
        client: metadata,
        logger,
        node: { nodeId: config.nodeId, role: commonV1.NodeRole.ROUTER, availabilityZone: config.az, cell: config.cell, grpcAddress },
        kafkaListeners: [kafkaListener],
        leaseTtlMs: config.metadataLeaseTtlMs,
      });
      membership.onRegistered((registration) => {
        // 0 is what a metadata service that does not assign Kafka node ids answers; the view
        // then keeps its provisional id (stable per node id) rather than colliding with peers.
        if (registration.kafkaNodeId > 0) view.setKafkaNodeId(registration.kafkaNodeId);
      });
      let closing: Promise<void> | undefined;
      // Deregister as soon as shutdown begins, so peers stop advertising this router at once.
      const close = () => (closing ??= membership.close());
      if (context.shutdownSignal.aborted) void close();
      else context.shutdownSignal.addEventListener('abort', () => void close(), { once: true });
      context.onShutdown('router-membership', close);
    });
  };

  return { view, tenants, handlers, advertise };
}
