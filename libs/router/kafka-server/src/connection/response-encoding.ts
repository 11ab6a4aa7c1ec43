// Encodes a response frame (size prefix, response header, body) as the parts to write in order:
// record batches of 8 KiB and more (Fetch) are referenced where the broker's answer holds them, not
// copied into the frame (GatherWriter); everything else is filled into the frame's own buffers.
import { API_REGISTRY, responseHeaderVersionFor } from '@stratus/kafka-messages';
import { GatherWriter, sizeOfResponseHeader, writeResponseHeader, type ResponseHeaderVersion } from '@stratus/kafka-protocol';

/** A frame as the buffers to write one after another, and their total size. */
export interface ResponseFrame {
  readonly parts: readonly Buffer[];
  readonly size: number;
}

export function encodeResponseFrame(options: {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  response: unknown;
}): ResponseFrame {
  const { apiKey, apiVersion, correlationId, response } = options;
  const codec = API_REGISTRY.get(apiKey);
  const headerVersion: ResponseHeaderVersion | undefined = responseHeaderVersionFor(apiKey, apiVersion);
  if (!codec || headerVersion === undefined) throw new Error(`no codec for API key ${apiKey}`);
  const header = { correlationId };
  const size = sizeOfResponseHeader(header, headerVersion) + codec.response.sizeOf(response, apiVersion);
  const writer = new GatherWriter(4 + size);
  writer.writeInt32(size);
  writeResponseHeader(writer, header, headerVersion);
  codec.response.write(writer, response, apiVersion);
  return { parts: writer.finishParts(), size: 4 + size };
}

/** A raw SASL token after a v0 handshake travels with only a size prefix (KIP-43). */
export function encodeRawTokenFrame(token: Buffer): ResponseFrame {
  const prefix = Buffer.allocUnsafe(4);
  prefix.writeInt32BE(token.length, 0);
  return { parts: [prefix, token], size: 4 + token.length };
}
