// One long-lived bidirectional gRPC stream (Produce or Fetch) shared by every client connection of
// this router. Each request carries a router-chosen correlation id that the broker echoes, and
// answers may come back in any order (broker_service.proto), so a slow long poll never holds up
// other requests. The stream is opened on first use and re-opened by the next request after it
// fails; a failure fails every request in flight on it with a retriable BrokerUnavailableError.
import type { ClientDuplexStream } from '@grpc/grpc-js';
import { BrokerUnavailableError } from './broker-errors';

interface Pending<Res> {
  readonly resolve: (response: Res) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

export interface MultiplexedStreamOptions<Req, Res> {
  readonly nodeId: string;
  /** 'Produce' or 'Fetch', for error messages. */
  readonly rpc: string;
  readonly open: () => ClientDuplexStream<Req, Res>;
  readonly correlationIdOf: (response: Res) => bigint;
  /** Called when a stream ends or fails, with how many requests it failed. */
  readonly onFailure?: (error: Error, failedRequests: number) => void;
}

export class MultiplexedStream<Req, Res> {
  private stream: ClientDuplexStream<Req, Res> | undefined;
  private readonly pending = new Map<bigint, Pending<Res>>();
  private nextCorrelationId = 1n;
  private closed = false;

  constructor(private readonly options: MultiplexedStreamOptions<Req, Res>) {}

  /** Requests awaiting an answer. */
  get inFlight(): number {
    return this.pending.size;
  }

  /**
   * Sends `build(correlationId)` and resolves with the answer carrying that id. Rejects with a
   * BrokerUnavailableError when the stream fails first or `timeoutMs` passes.
   */
  call(build: (correlationId: bigint) => Req, timeoutMs: number): Promise<Res> {
    const { nodeId, rpc } = this.options;
    if (this.closed) return Promise.reject(new BrokerUnavailableError('closed', nodeId, `${rpc} stream closed`));
    const correlationId = this.nextCorrelationId++;
    const stream = this.ensureOpen();
    return new Promise<Res>((resolve, reject) => {
      const timer = setTimeout(() => {
        // The broker may still answer later; that answer finds no entry and is dropped.
        this.pending.delete(correlationId);
        reject(new BrokerUnavailableError('deadline', nodeId, `${rpc} ${correlationId} got no answer within ${timeoutMs} ms`));
      }, Math.max(0, timeoutMs));
      this.pending.set(correlationId, { resolve, reject, timer });
      stream.write(build(correlationId));
    });
  }

  /**
   * Ends the stream and fails whatever is in flight (retriably unless the router is shutting
   * down: a dropped channel's requests can go to the broker's new address); later calls fail.
   */
  close(options: { retriable: boolean } = { retriable: false }): void {
    this.closed = true;
    const stream = this.stream;
    this.stream = undefined;
    const kind = options.retriable ? 'stream-failed' : 'closed';
    this.failAll(new BrokerUnavailableError(kind, this.options.nodeId, `${this.options.rpc} stream closed`), stream);
    stream?.cancel();
  }

  private ensureOpen(): ClientDuplexStream<Req, Res> {
    if (this.stream) return this.stream;
    const stream = this.options.open();
    this.stream = stream;
    stream.on('data', (response: Res) => {
      const id = this.options.correlationIdOf(response);
      const entry = this.pending.get(id);
      if (!entry) return;
      this.pending.delete(id);
      clearTimeout(entry.timer);
      entry.resolve(response);
    });
    const fail = (reason: string): void => {
      if (this.stream !== stream) return;
      this.stream = undefined;
      this.failAll(new BrokerUnavailableError('stream-failed', this.options.nodeId, `${this.options.rpc} stream ${reason}`), stream);
    };
    stream.on('error', (error: Error) => fail(`failed: ${error.message}`));
    // A broker that ends its side (shutdown) answers nothing more on this stream.
    stream.on('end', () => fail('ended by the broker'));
    stream.on('close', () => fail('closed'));
    return stream;
  }

  private failAll(error: BrokerUnavailableError, stream: ClientDuplexStream<Req, Res> | undefined): void {
    const count = this.pending.size;
    for (const entry of this.pending.values()) {
      clearTimeout(entry.timer);
      entry.reject(error);
    }
    this.pending.clear();
    if (stream) this.options.onFailure?.(error, count);
  }
}
