import { Server, ServerCredentials, type ChannelOptions, type ServiceDefinition } from '@grpc/grpc-js';

export const DEFAULT_MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

export interface GrpcServerOptions {
  /** Largest message accepted from a peer; record batches travel as one message each. */
  readonly maxReceiveMessageBytes?: number;
  readonly maxSendMessageBytes?: number;
  /** Server pings an idle connection after this long to detect dead peers (default 30 s). */
  readonly keepaliveTimeMs?: number;
  /** ... and drops it when the ping is not answered within this (default 10 s). */
  readonly keepaliveTimeoutMs?: number;
  /** Shortest client ping interval tolerated before the client is told to back off (default 10 s). */
  readonly minClientPingIntervalMs?: number;
}

export function grpcServerChannelOptions(options: GrpcServerOptions = {}): ChannelOptions {
  return {
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': options.maxSendMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs ?? 30_000,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? 10_000,
    // Clients (createGrpcClient) ping every 30 s even without calls; allow that, with margin.
    'grpc.keepalive_permit_without_calls': 1,
    'grpc.http2.min_ping_interval_without_data_ms': options.minClientPingIntervalMs ?? 10_000,
  };
}

export function createGrpcServer(options: GrpcServerOptions = {}): Server {
  return new Server(grpcServerChannelOptions(options));
}

/**
 * Binds without TLS (inside the cluster mTLS is the mesh's job for now) and resolves to the
 * actual port, which differs from `port` when `port` is 0.
 */
export function bindGrpcServer(server: Server, host: string, port: number): Promise<number> {
  const address = host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`;
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, boundPort) => {
      if (error) reject(new Error(`cannot bind gRPC server to ${address}: ${error.message}`));
      else resolve(boundPort);
    });
  });
}

/**
 * The fully qualified service name (`stratus.broker.v1.BrokerService`) of a generated service
 * definition, read from its method paths (`/package.Service/Method`).
 */
export function serviceNameOf(definition: ServiceDefinition): string {
  const first = Object.values(definition)[0];
  if (!first) throw new Error('service definition has no methods');
  const match = /^\/([^/]+)\/[^/]+$/.exec(first.path);
  if (!match?.[1]) throw new Error(`unexpected gRPC method path ${first.path}`);
  return match[1];
}
