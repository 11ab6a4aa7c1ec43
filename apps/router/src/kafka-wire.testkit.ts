// A minimal Kafka client for integration tests that must know WHICH router answers (kafkajs and
// @platformatic/kafka send Metadata to any broker they know): one connection, SASL PLAIN, then
// requests encoded and decoded with the generated codecs, one at a time.
import { connect, type Socket } from 'node:net';
import { API_REGISTRY, requestHeaderVersionFor, responseHeaderVersionFor } from '@stratus/kafka-messages';
import { FrameReader, Reader, Writer, decodeResponseHeader, sizeOfRequestHeader, writeRequestHeader } from '@stratus/kafka-protocol';

export class WireClient {
  private readonly reader = new FrameReader({ minFrameBytes: 0 });
  private readonly frames: Buffer[] = [];
  private wake: (() => void) | undefined;
  private correlationId = 0;

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.reader.push(chunk);
      for (const frame of this.reader) this.frames.push(frame);
      this.wake?.();
    });
    socket.on('close', () => this.wake?.());
    socket.on('error', () => undefined);
  }

  /** Connects and authenticates with SASL PLAIN (SaslHandshake v1 + SaslAuthenticate v2). */
  static async login(port: number, username: string, password: string): Promise<WireClient> {
    const socket = await new Promise<Socket>((resolve, reject) => {
      const s = connect({ host: '127.0.0.1', port }, () => resolve(s));
      s.once('error', reject);
    });
    const client = new WireClient(socket);
    const handshake = await client.call<{ errorCode: number }>(17, 1, { mechanism: 'PLAIN' });
    if (handshake.errorCode !== 0) throw new Error(`SaslHandshake failed: ${handshake.errorCode}`);
    const auth = await client.call<{ errorCode: number }>(36, 2, { authBytes: Buffer.from(`\0${username}\0${password}`) });
    if (auth.errorCode !== 0) throw new Error(`SaslAuthenticate failed: ${auth.errorCode}`);
    return client;
  }

  async call<T>(apiKey: number, apiVersion: number, body: unknown): Promise<T> {
    const codec = API_REGISTRY.get(apiKey);
    const headerVersion = requestHeaderVersionFor(apiKey, apiVersion);
    const responseHeaderVersion = responseHeaderVersionFor(apiKey, apiVersion);
    if (!codec || headerVersion === undefined || responseHeaderVersion === undefined) throw new Error(`unknown api ${apiKey}`);
    const header = { apiKey, apiVersion, correlationId: ++this.correlationId, clientId: 'wire-it' };
    const size = sizeOfRequestHeader(header, headerVersion) + codec.request.sizeOf(body, apiVersion);
    const w = Writer.alloc(4 + size);
    w.writeInt32(size);
    writeRequestHeader(w, header, headerVersion);
    codec.request.write(w, body, apiVersion);
    this.socket.write(w.finish());
    const deadline = Date.now() + 10_000;
    while (this.frames.length === 0) {
      if (this.socket.destroyed || Date.now() > deadline) throw new Error('no response');
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 100);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const r = new Reader(this.frames.shift() as Buffer);
    const { correlationId } = decodeResponseHeader(r, responseHeaderVersion);
    if (correlationId !== header.correlationId) throw new Error(`correlation ${correlationId} != ${header.correlationId}`);
    return codec.response.decode(r, apiVersion) as T;
  }

  close(): void {
    this.socket.destroy();
  }
}
