// First, synchronous stage of a request: header, gates and body decode, done in arrival order so
// that authentication state changes apply to the requests that follow (Kafka checks the same gates
// in SocketServer / SaslServerAuthenticator before a request reaches KafkaApis).
import { API_REGISTRY, apiEntry, requestHeaderVersionFor } from '@stratus/kafka-messages';
import { API_VERSIONS_KEY, ProtocolDecodeError, Reader, decodeRequestHeader, type RequestHeader } from '@stratus/kafka-protocol';
import { unsupportedApiVersionsResponse } from '../handlers/api-versions';
import type { HandlerRegistry, ServedApi } from '../handlers/registry';

export type Prepared =
  /** Run the handler on the decoded request. */
  | { readonly kind: 'dispatch'; readonly header: RequestHeader; readonly served: ServedApi; readonly request: unknown }
  /** Answer without a handler (the KIP-511 ApiVersions fallback). */
  | { readonly kind: 'answer'; readonly header: RequestHeader; readonly apiVersion: number; readonly response: unknown }
  /** Close the connection; `header` is set when it could be read (for the log line). */
  | { readonly kind: 'violation'; readonly reason: string; readonly header?: RequestHeader };

export function prepareRequest(frame: Buffer, options: { registry: HandlerRegistry; authenticated: boolean }): Prepared {
  if (frame.length < 4) return { kind: 'violation', reason: 'frame too short for a request header' };
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const headerVersion = requestHeaderVersionFor(apiKey, apiVersion);
  // Kafka cannot even parse the header of an unknown API key and closes the connection.
  if (headerVersion === undefined || !apiEntry(apiKey)) return { kind: 'violation', reason: `unknown API key ${apiKey}` };
  const reader = new Reader(frame);
  let header: RequestHeader;
  try {
    header = decodeRequestHeader(reader, headerVersion);
  } catch (error) {
    if (error instanceof ProtocolDecodeError) return { kind: 'violation', reason: `undecodable request header: ${error.message}` };
    throw error;
  }
  const served = options.registry.get(apiKey);
  if (!served) return { kind: 'violation', reason: `API key ${apiKey} is not served by this router yet`, header };
  // Before authentication only ApiVersions and the SASL APIs pass (Kafka's authenticator raises an
  // illegal SASL state and closes for anything else).
  if (!options.authenticated && !served.handler.beforeAuthentication) {
    return { kind: 'violation', reason: `${served.handler.name} request before authentication`, header };
  }
  if (apiVersion < served.minVersion || apiVersion > served.maxVersion) {
    // KIP-511: an unknown ApiVersions version still gets an answer the client can read.
    if (apiKey === API_VERSIONS_KEY) {
      return { kind: 'answer', header, apiVersion: 0, response: unsupportedApiVersionsResponse(served) };
    }
    // Kafka fails to parse a request of an unsupported version and closes the connection;
    // clients never send one because they pick versions from ApiVersions.
    return { kind: 'violation', reason: `unsupported version ${apiVersion} of ${served.handler.name}`, header };
  }
  const codec = API_REGISTRY.get(apiKey);
  if (!codec) return { kind: 'violation', reason: `no codec for API key ${apiKey}`, header };
  try {
    return { kind: 'dispatch', header, served, request: codec.request.decode(reader, apiVersion) };
  } catch (error) {
    if (error instanceof ProtocolDecodeError) return { kind: 'violation', reason: `undecodable ${served.handler.name} v${apiVersion} body: ${error.message}`, header };
    throw error;
  }
}
