// Decoded `bytes` fields as Buffers (the generated contracts declare Buffer, env=node) without
// copying record batches. generate.mjs rewrites the generated `Buffer.from(reader.bytes())` copy
// to `bufferView(reader.bytes())`.

/**
 * Payloads up to this size are copied: a view would keep the whole gRPC message alive for as long
 * as a small field (a 16-byte topic id kept in a cache, say) is held.
 */
export const VIEW_THRESHOLD_BYTES = 1024;

/**
 * A Buffer over the same memory as `bytes` when it is large. Large `bytes` fields are record
 * batches, which live exactly as long as the message they came in (grpc-js hands every message
 * to the deserializer in its own freshly assembled Buffer, never reused), so passing them on
 * without a copy is safe; a holder of one keeps that message's memory alive.
 */
export function bufferView(bytes: Uint8Array): Buffer {
  if (bytes.byteLength <= VIEW_THRESHOLD_BYTES) return Buffer.from(bytes);
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
