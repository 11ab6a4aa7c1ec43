// Registers this replication node with the metadata service once its gRPC port is bound, and
// deregisters it as soon as shutdown begins (so the controller stops placing replicas on it
// before the process is gone). Readiness never depends on metadata: a replication node keeps
// serving the replica sets it already holds while metadata is down.
import { hostname } from 'node:os';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { createMetadataClient, NodeMembership } from '@stratus/metadata-client';
import type { Logger } from '@stratus/platform-logging';
import type { ServiceContext, StartedPorts } from '@stratus/platform-service';
import type { ReplicationConfig } from './config';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '']);

/** The address peers dial: explicit config first; a wildcard bind host is not dialable, so the host name. */
export function advertisedGrpcAddress(config: ReplicationConfig, ports: StartedPorts): string {
  const host = config.grpcAdvertisedHost ?? (ALL_INTERFACES.has(config.bindHost) ? hostname() : config.bindHost);
  const port = config.grpcAdvertisedPort ?? ports.grpcPort;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function registerWithMetadata(context: ServiceContext<ReplicationConfig>, options: { isStorageReady: () => boolean; logger: Logger }): void {
  const { config } = context;
  const { logger } = options;
  const metadataAddress = config.metadataAddress;
  if (!metadataAddress) {
    logger.warn({}, 'STRATUS_METADATA_ADDRESS is not set: this replication node is not registered and no replica set will be placed on it');
    return;
  }
  context.onStarted('metadata-membership', (ports) => {
    const client = createMetadataClient(metadataAddress);
    const grpcAddress = advertisedGrpcAddress(config, ports);
    logger.info({ metadataAddress, grpcAddress, az: config.az, cell: config.cell }, 'registering with the metadata service');
    const membership = NodeMembership.start({
      client,
      logger,
      node: { nodeId: config.nodeId, role: commonV1.NodeRole.REPLICATION, availabilityZone: config.az, cell: config.cell, grpcAddress },
      leaseTtlMs: config.metadataLeaseTtlMs,
      // A stalled disk: alive, but the controller should not put new replicas here.
      health: () => ({ health: options.isStorageReady() ? metadataV1.NodeHealth.READY : metadataV1.NodeHealth.DEGRADED }),
    });
    membership.onLost((event) => logger.warn({ ...event }, 'metadata lease lost; registering again'));
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= membership.close().finally(() => client.close());
      return closing;
    };
    if (context.shutdownSignal.aborted) void close();
    else context.shutdownSignal.addEventListener('abort', () => void close(), { once: true });
    context.onShutdown('metadata-membership', close);
  });
}
