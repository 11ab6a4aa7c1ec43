// One handler per API key (franz-go kfake / Redpanda style): it declares the versions it serves,
// sees the decoded request in the newest shape (one type for all versions), and returns the response
// in that shape; the connection encodes it at the request's version.
import type { RequestHeader } from '@stratus/kafka-protocol';
import type { Logger } from '@stratus/platform-logging';
import type { SaslController } from '../sasl/sasl-controller';

/** What a handler may know about the listener it was reached through (Metadata advertises it). */
export interface ListenerInfo {
  readonly nodeId: number;
  readonly host: string;
  readonly port: number;
  readonly clusterId: string;
}

export interface RequestContext {
  readonly header: RequestHeader;
  readonly sasl: SaslController;
  readonly listener: ListenerInfo;
  readonly logger: Logger;
  /**
   * The client's IP address as Kafka names it in ACL bindings ("127.0.0.1", "2001:db8::1"; an
   * IPv4-mapped IPv6 address in its IPv4 form); undefined when the socket no longer knows it.
   */
  readonly clientHost?: string;
  /** Versions advertised in ApiVersions, from the registered handlers. */
  readonly advertised: ReadonlyArray<{ apiKey: number; minVersion: number; maxVersion: number }>;
  /** Called by ApiVersions v3+ with the client's software name and version (KIP-511). */
  noteClientSoftware(name: string, version: string): void;
}

export interface HandlerResult {
  /** The response message in the newest shape of this API's response type. */
  readonly response: unknown;
  /** Wait this long before sending the response (KIP-306 failed authentication delay). */
  readonly delayMs?: number;
  /** Close the connection once the response is written. */
  readonly closeAfter?: string;
  /**
   * Send nothing for this request (Produce with acks=0: the client reads no response). The
   * request still holds its place in the ordered queue until the handler finishes.
   */
  readonly noResponse?: boolean;
}

/** A request that cannot be answered: the connection is closed with this reason logged. */
export interface HandlerViolation {
  readonly violation: string;
}

export interface ApiHandler {
  readonly apiKey: number;
  readonly name: string;
  readonly minVersion: number;
  readonly maxVersion: number;
  /** May be called before authentication (ApiVersions and the SASL APIs only). */
  readonly beforeAuthentication?: boolean;
  handle(ctx: RequestContext, request: unknown): Promise<HandlerResult | HandlerViolation>;
}

export function isViolation(result: HandlerResult | HandlerViolation): result is HandlerViolation {
  return 'violation' in result;
}
