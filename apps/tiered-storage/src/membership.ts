// Registers this tiered-storage node with the metadata service (role TIERED_STORAGE, its AZ, cell
// and the gRPC address brokers dial for cold reads) once its port is bound, and deregisters as
// soon as shutdown begins, so brokers stop routing cold reads here before the process is gone.
// Same lifecycle as the replication app's registration.
import { hostname } from 'node:os';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { NodeMembership, type MetadataClient } from '@stratus/metadata-client';
import type { Logger } from '@stratus/platform-logging';
import type { ServiceContext, StartedPorts } from '@stratus/platform-service';
import type { TieredStorageConfig } from './config';

const ALL_INTERFACES = new Set(['0.0.0.0', '::', '[::]', '']);

/** The address peers dial: explicit config first; a wildcard bind host is not dialable, so the host name. */
export function advertisedGrpcAddress(config: TieredStorageConfig, ports: StartedPorts): string {
  const host = config.grpcAdvertisedHost ?? (ALL_INTERFACES.has(config.bindHost) ? hostname() : config.bindHost);
  const port = config.grpcAdvertisedPort ?? ports.grpcPort;
  return host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
}

export function registerWithMetadata(
  context: ServiceContext<TieredStorageConfig>,
  options: { client: MetadataClient; isReady: () => boolean; logger: Logger },
): void {
  const { config } = context;
  const { logger, client } = options;
  context.onStarted('metadata-membership', (ports) => {
    const grpcAddress = advertisedGrpcAddress(config, ports);
    logger.info({ metadataAddress: config.metadataAddress, grpcAddress, az: config.az, cell: config.cell }, 'registering with the metadata service');
    const membership = NodeMembership.start({
      client,
      logger,
      node: { nodeId: config.nodeId, role: commonV1.NodeRole.TIERED_STORAGE, availabilityZone: config.az, cell: config.cell, grpcAddress },
      leaseTtlMs: config.metadataLeaseTtlMs,
      // Object store unreachable or cache not writable: alive, but brokers should prefer another node.
      health: () => ({ health: options.isReady() ? metadataV1.NodeHealth.READY : metadataV1.NodeHealth.DEGRADED }),
    });
    membership.onLost((event) => logger.warn({ ...event }, 'metadata lease lost; registering again'));
    let closing: Promise<void> | undefined;
    const close = () => {
      closing ??= membership.close();
      return closing;
    };
    if (context.shutdownSignal.aborted) void close();
    else context.shutdownSignal.addEventListener('abort', () => void close(), { once: true });
    context.onShutdown('metadata-membership', close);
  });
}
