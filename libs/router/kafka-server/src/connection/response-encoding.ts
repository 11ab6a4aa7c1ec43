// Encodes a response frame (size prefix, response header, body) into one exactly sized buffer.
import { API_REGISTRY, responseHeaderVersionFor } from '@stratus/kafka-messages';
import { Writer, sizeOfResponseHeader, writeResponseHeader, type ResponseHeaderVersion } from '@stratus/kafka-protocol';

export function encodeResponseFrame(options: {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  response: unknown;
}): Buffer {
  const { apiKey, apiVersion, correlationId, response } = options;
  const codec = API_REGISTRY.get(apiKey);
  const headerVersion: ResponseHeaderVersion | undefined = responseHeaderVersionFor(apiKey, apiVersion);
  if (!codec || headerVersion === undefined) throw new Error(`no codec for API key ${apiKey}`);
  const header = { correlationId };
  const size = sizeOfResponseHeader(header, headerVersion) + codec.response.sizeOf(response, apiVersion);
  const writer = Writer.alloc(4 + size);
  writer.writeInt32(size);
  writeResponseHeader(writer, header, headerVersion);
  codec.response.write(writer, response, apiVersion);
  return writer.finish();
}

/** A raw SASL token after a v0 handshake travels with only a size prefix (KIP-43). */
export function encodeRawTokenFrame(token: Buffer): Buffer {
  const frame = Buffer.allocUnsafe(4 + token.length);
  frame.writeInt32BE(token.length, 0);
  token.copy(frame, 4);
  return frame;
}
