import { credentials, type CallOptions, type ChannelOptions, type Client } from '@grpc/grpc-js';
import { DEFAULT_MAX_MESSAGE_BYTES } from './server';

export interface GrpcClientOptions {
  readonly maxReceiveMessageBytes?: number;
  readonly maxSendMessageBytes?: number;
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
