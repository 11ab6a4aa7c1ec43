import { apiName } from './api-names';

/** Largest request frame we accept; Kafka's own default socket.request.max.bytes is 100 MiB. */
const MAX_FRAME = 100 * 1024 * 1024;

/**
 * Splits a TCP byte stream into Kafka frames (int32 big-endian size, then that many bytes). Chunks
 * are kept as a list and only joined when a frame is complete, so a large frame arriving in many
 * small chunks costs one copy, not one per chunk.
 */
export class FrameSplitter {
  private chunks: Buffer[] = [];
  private buffered = 0;

  /** Adds bytes and returns every frame they completed, each without its size prefix. */
  push(chunk: Buffer): Buffer[] {
    this.chunks.push(chunk);
    this.buffered += chunk.length;
    const frames: Buffer[] = [];
    for (;;) {
      if (this.buffered < 4) return frames;
      const head = this.chunks[0].length >= 4 ? this.chunks[0] : this.join();
      const size = head.readInt32BE(0);
      if (size < 0 || size > MAX_FRAME) throw new Error(`invalid frame size ${size}`);
      if (this.buffered < 4 + size) return frames;
      const all = this.join();
      frames.push(Buffer.from(all.subarray(4, 4 + size)));
      const rest = all.subarray(4 + size);
      this.chunks = rest.length > 0 ? [rest] : [];
      this.buffered = rest.length;
    }
  }

  /** Bytes received that do not yet form a complete frame. */
  get pending(): number {
    return this.buffered;
  }

  private join(): Buffer {
    if (this.chunks.length > 1) this.chunks = [Buffer.concat(this.chunks, this.buffered)];
    return this.chunks[0];
  }
}

export interface RequestHeaderPeek {
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly correlationId: number;
  /** Request header v1+ client_id (a classic nullable string even in flexible header v2). */
  readonly clientId: string | null;
}

/**
 * Reads the fixed start of a request header. Returns undefined for a frame that is not a known
 * request (e.g. the unframed tokens that follow a SaslHandshake v0, KIP-43), so the recorder can
 * skip it instead of mislabelling it.
 */
export function peekRequestHeader(frame: Buffer): RequestHeaderPeek | undefined {
  if (frame.length < 10) return undefined;
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  if (apiName(apiKey) === undefined || apiVersion < 0 || apiVersion > 40) return undefined;
  const correlationId = frame.readInt32BE(4);
  const length = frame.readInt16BE(8);
  if (length < -1 || 10 + Math.max(length, 0) > frame.length) return undefined;
  const clientId = length < 0 ? null : frame.toString('utf8', 10, 10 + length);
  return { apiKey, apiVersion, correlationId, clientId };
}
