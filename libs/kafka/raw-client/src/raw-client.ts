// A tiny raw Kafka client: sends hand-built frames and reads response frames, so tests can send
// what no real client would (garbage, huge size prefixes, requests before authentication).
import { connect, type Socket } from 'node:net';
import { API_REGISTRY, requestHeaderVersionFor, responseHeaderVersionFor } from '@stratus/kafka-messages';
import { FrameReader, Reader, Writer, decodeResponseHeader, sizeOfRequestHeader, writeRequestHeader } from '@stratus/kafka-protocol';

export class RawClient {
  private readonly reader = new FrameReader({ minFrameBytes: 0 });
  private readonly frames: Buffer[] = [];
  private waiters: Array<() => void> = [];
  private correlation = 0;
  closed = false;

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (const frame of this.reader) this.frames.push(frame);
      this.wake();
    });
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
    socket.on('error', () => undefined);
  }

  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port }, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  sendRaw(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** Encodes a request (header + body) as a size-prefixed frame and sends it; returns its correlation id. */
  send(apiKey: number, apiVersion: number, body: unknown, options: { clientId?: string } = {}): number {
    const correlationId = ++this.correlation;
    this.sendRaw(encodeRequestFrame({ apiKey, apiVersion, correlationId, clientId: options.clientId ?? 'raw-test', body }));
    return correlationId;
  }

  /** The next response frame (without size prefix), or undefined when the connection closed first. */
  async nextFrame(timeoutMs = 5000): Promise<Buffer | undefined> {
    const deadline = Date.now() + timeoutMs;
    while (this.frames.length === 0 && !this.closed) {
      if (Date.now() > deadline) throw new Error('timed out waiting for a response frame');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.frames.shift();
  }

  /** Sends a request and decodes its response. */
  async call<T>(apiKey: number, apiVersion: number, body: unknown, timeoutMs = 5000): Promise<{ correlationId: number; body: T }> {
    const sent = this.send(apiKey, apiVersion, body);
    const frame = await this.nextFrame(timeoutMs);
    if (!frame) throw new Error('connection closed before the response');
    const decoded = decodeResponseFrame<T>(frame, apiKey, apiVersion);
    if (decoded.correlationId !== sent) throw new Error(`correlation ${decoded.correlationId} != ${sent}`);
    return decoded;
  }

  async waitClosed(timeoutMs = 5000): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    while (!this.closed && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    return this.closed;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}

export function encodeRequestFrame(options: { apiKey: number; apiVersion: number; correlationId: number; clientId: string | null; body: unknown }): Buffer {
  const { apiKey, apiVersion } = options;
  const codec = API_REGISTRY.get(apiKey);
  const headerVersion = requestHeaderVersionFor(apiKey, apiVersion);
  if (!codec || headerVersion === undefined) throw new Error(`unknown api ${apiKey}`);
  const header = { apiKey, apiVersion, correlationId: options.correlationId, clientId: options.clientId };
  const size = sizeOfRequestHeader(header, headerVersion) + codec.request.sizeOf(options.body, apiVersion);
  const w = Writer.alloc(4 + size);
  w.writeInt32(size);
  writeRequestHeader(w, header, headerVersion);
  codec.request.write(w, options.body, apiVersion);
  return w.finish();
}

export function decodeResponseFrame<T>(frame: Buffer, apiKey: number, apiVersion: number): { correlationId: number; body: T } {
  const r = new Reader(frame);
  const headerVersion = responseHeaderVersionFor(apiKey, apiVersion);
  const codec = API_REGISTRY.get(apiKey);
  if (headerVersion === undefined || !codec) throw new Error(`unknown api ${apiKey}`);
  const header = decodeResponseHeader(r, headerVersion);
  const body = codec.response.decode(r, apiVersion) as T;
  return { correlationId: header.correlationId, body };
}
