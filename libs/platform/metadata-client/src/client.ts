// A MetadataService client tuned for long-lived watches and leases.
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, type GrpcClientOptions } from '@stratus/platform-grpc';

export interface MetadataClientOptions extends GrpcClientOptions {
  /**
   * Upper bound of grpc-js's own reconnect backoff (default 2 s). Its default (120 s) would leave
   * a router or broker failing fast against a metadata service that has long been back after an
   * outage: with heartbeats on a 10 s lease that is a lost lease for nothing.
   */
  readonly maxReconnectBackoffMs?: number;
}

/** `host:port` of the metadata service (a Kubernetes Service in front of its replicas). */
export function createMetadataClient(address: string, options: MetadataClientOptions = {}): metadataV1.MetadataServiceClient {
  const maxBackoff = options.maxReconnectBackoffMs ?? 2_000;
  return createGrpcClient(metadataV1.MetadataServiceClient, address, {
    ...options,
    channelOptions: {
      'grpc.initial_reconnect_backoff_ms': Math.min(250, maxBackoff),
      'grpc.max_reconnect_backoff_ms': maxBackoff,
      ...options.channelOptions,
    },
  });
}
