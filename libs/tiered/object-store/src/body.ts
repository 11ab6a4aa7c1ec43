// Turns an ObjectBody into parts of a bounded size, so a multipart upload holds at most one part in
// memory, and a small body (at most one part) can be sent with a single PUT.
import type { ObjectBody } from './types';
import { ObjectStoreArgumentError } from './errors';

export function isSingleBuffer(body: ObjectBody): body is Uint8Array {
  return body instanceof Uint8Array;
}

async function* chunksOf(body: ObjectBody): AsyncIterable<Uint8Array> {
  if (body instanceof Uint8Array) {
    yield body;
    return;
  }
  if (body === null || typeof body !== 'object' || (!(Symbol.asyncIterator in body) && !(Symbol.iterator in body))) {
    throw new ObjectStoreArgumentError('object body must be a Uint8Array or an (async) iterable of Uint8Array chunks');
  }
  for await (const chunk of body as AsyncIterable<unknown>) {
    if (!(chunk instanceof Uint8Array)) {
      // A stream in string mode would silently change bytes through an encoding; refuse it.
      throw new ObjectStoreArgumentError(`object body chunks must be Uint8Array, got ${typeof chunk}`);
    }
    yield chunk;
  }
}

/**
 * Yields buffers of exactly `partSize` bytes (the last may be shorter; an empty body yields one
 * empty buffer). Chunks are sliced, not copied, unless they straddle a part boundary.
 */
export async function* partsOf(body: ObjectBody, partSize: number): AsyncIterable<Buffer> {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let yielded = false;
  for await (const raw of chunksOf(body)) {
    let chunk = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
    while (chunk.length > 0) {
      const take = Math.min(partSize - pendingBytes, chunk.length);
      pending.push(chunk.subarray(0, take));
      pendingBytes += take;
      chunk = chunk.subarray(take);
      if (pendingBytes === partSize) {
        yield pending.length === 1 ? (pending[0] as Buffer) : Buffer.concat(pending, pendingBytes);
        yielded = true;
        pending = [];
        pendingBytes = 0;
      }
    }
  }
  if (pendingBytes > 0 || !yielded) yield Buffer.concat(pending, pendingBytes);
}

/** Reads the whole body into one buffer (memory and file backends, which need no parts). */
export async function collectBody(body: ObjectBody): Promise<Buffer> {
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  const chunks: Buffer[] = [];
  for await (const part of partsOf(body, 64 * 1024 * 1024)) chunks.push(part);
  return chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
}
