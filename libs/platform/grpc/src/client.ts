import { credentials, type CallOptions, type ChannelOptions, type Client } from '@grpc/grpc-js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './server';

/**
 * HTTP/2 receive window of every client channel (connection and streams). The protocol's default
 * is 64 KiB, and grpc-js keeps it unless told: the peer then stops after each 64 KiB until our
 * WINDOW_UPDATE comes back, so a 1 MiB Fetch answer from a broker, a replica Read or a tiered
 * segment read needs 16 round trips through both event loops, and every stream on the channel
 * shares the same 64 KiB. gRPC's C core grows its window by BDP probing; grpc-js does not, hence
 * a fixed window large enough for several max-size answers in flight.
 */
export const DEFAULT_RECEIVE_WINDOW_BYTES = 8 * 1024 * 1024;

export interface GrpcClientOptions {
  readonly maxReceiveMessageBytes?: number;
  readonly maxSendMessageBytes?: number;
  /** HTTP/2 receive window in bytes (default DEFAULT_RECEIVE_WINDOW_BYTES, 8 MiB). */
  readonly receiveWindowBytes?: number;
  /** Ping interval on an idle channel so a silently dead peer is noticed (default 30 s). */
  readonly keepaliveTimeMs?: number;
  readonly keepaliveTimeoutMs?: number;
  /** Extra raw channel options (e.g. load balancing config). */
  readonly channelOptions?: ChannelOptions;
}

type ClientConstructor<C extends Client> = new (
  address: string,
  creds: ReturnType<typeof credentials.createInsecure>,
  options?: ChannelOptions,
) => C;

export function grpcClientChannelOptions(options: GrpcClientOptions = {}): ChannelOptions {
  return {
    'grpc.max_receive_message_length': options.maxReceiveMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    'grpc.max_send_message_length': options.maxSendMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES,
    'grpc.keepalive_time_ms': options.keepaliveTimeMs ?? 30_000,
    'grpc.keepalive_timeout_ms': options.keepaliveTimeoutMs ?? 10_000,
    'grpc.keepalive_permit_without_calls': 1,
    'grpc-node.flow_control_window': options.receiveWindowBytes ?? DEFAULT_RECEIVE_WINDOW_BYTES,
    ...options.channelOptions,
  };
}

/** A client of a generated service (`new BrokerServiceClient(...)` with our channel defaults). */
export function createGrpcClient<C extends Client>(
  ctor: ClientConstructor<C>,
  address: string,
  options: GrpcClientOptions = {},
): C {
  return new ctor(address, credentials.createInsecure(), grpcClientChannelOptions(options));
}

/**
 * Every call carries a deadline: a call without one can hang forever on a half-open connection.
 * Pass the remaining budget of the Kafka request (e.g. its timeout_ms) where there is one.
 */
export function deadlineAfter(ms: number): Date {
  return new Date(Date.now() + ms);
}

/** Call options with a deadline `timeoutMs` from now. */
export function callOptions(timeoutMs: number, extra: CallOptions = {}): CallOptions {
  return { ...extra, deadline: deadlineAfter(timeoutMs) };
}

/** Default deadline for control-plane calls (metadata lookups, registrations). */
export const DEFAULT_CALL_TIMEOUT_MS = 5_000;
