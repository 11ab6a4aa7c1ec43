import { connect, createServer, type Server, type Socket } from 'node:net';
import { FrameSplitter, peekRequestHeader, type RequestHeaderPeek } from './frames';

export interface RecordedFrame extends RequestHeaderPeek {
  /** Which proxy saw it, e.g. "plaintext" or "sasl". */
  readonly listener: string;
  readonly connection: number;
  /** The request frame without its 4-byte size prefix: request header then body. */
  readonly bytes: Buffer;
}

export interface Upstream {
  readonly host: string;
  readonly port: number;
}

/**
 * A TCP proxy on 127.0.0.1 that forwards bytes both ways untouched and records every client→broker
 * request frame. Responses are not parsed: the broker advertises the proxy's own address (see
 * kafka-reference's `advertise`), so clients never learn the broker's real port and no rewriting
 * is needed.
 */
export class RecordingProxy {
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private upstream: Upstream | undefined;
  private frames: RecordedFrame[] = [];
  private connections = 0;
  private skipped = 0;

  private constructor(
    readonly listener: string,
    server: Server,
  ) {
    this.server = server;
  }

  static async listen(listener: string): Promise<RecordingProxy> {
    const server = createServer();
    const proxy = new RecordingProxy(listener, server);
    server.on('connection', (socket) => proxy.accept(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
    });
    return proxy;
  }

  get port(): number {
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('proxy is not listening');
    return address.port;
  }

  /** The broker is started after the proxy (it must advertise the proxy port), so the target comes later. */
  forwardTo(upstream: Upstream): void {
    this.upstream = upstream;
  }

  /** Returns and forgets everything recorded so far. */
  drain(): { frames: RecordedFrame[]; skipped: number } {
    const out = { frames: this.frames, skipped: this.skipped };
    this.frames = [];
    this.skipped = 0;
    return out;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }

  private accept(client: Socket): void {
    const connection = ++this.connections;
    if (this.upstream === undefined) {
      client.destroy();
      return;
    }
    const broker = connect(this.upstream);
    this.sockets.add(client).add(broker);
    const splitter = new FrameSplitter();
    client.on('data', (chunk: Buffer) => {
      broker.write(chunk);
      try {
        for (const bytes of splitter.push(chunk)) this.record(connection, bytes);
      } catch {
        // Not Kafka framing (should not happen with real clients): stop recording, keep forwarding.
        this.skipped++;
        client.removeAllListeners('data');
        client.on('data', (rest: Buffer) => broker.write(rest));
      }
    });
    broker.on('data', (chunk: Buffer) => client.write(chunk));
    const close = (): void => {
      client.destroy();
      broker.destroy();
      this.sockets.delete(client);
      this.sockets.delete(broker);
    };
    client.on('close', close).on('error', close);
    broker.on('close', close).on('error', close);
  }

  private record(connection: number, bytes: Buffer): void {
    const header = peekRequestHeader(bytes);
    if (header === undefined) {
      this.skipped++;
      return;
    }
    this.frames.push({ ...header, listener: this.listener, connection, bytes });
  }
}
