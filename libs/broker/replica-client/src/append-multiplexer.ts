// One long-lived Append stream per (broker, replication node), multiplexing every partition the
// broker leads there (replication_service.proto: "one long-lived stream per leader broker").
// Each request carries an id unique on this client; the node echoes it in the ack, so acks may
// interleave across partitions (per partition they come back in offset order).
//
// Nothing here may leave a caller waiting forever: every request has a deadline, a stream that
// errors or ends fails everything still in flight on it, and close() fails the rest. A request
// that timed out may still be applied by the node later; that is fine for the protocol, because
// the leader treats UNAVAILABLE as "outcome unknown" and re-fences and reconciles the replica
// before it sends it anything again.
import type { replicationV1 } from '@stratus/contracts';
import { failure, success, type Outcome } from '@stratus/broker-partition';

/** The part of a grpc-js ClientDuplexStream this class uses (a seam for unit tests). */
export interface AppendStreamHandle {
  write(request: replicationV1.AppendRequest): boolean;
  on(event: 'data', listener: (response: replicationV1.AppendResponse) => void): unknown;
  on(event: 'error', listener: (err: Error) => void): unknown;
  on(event: 'end', listener: () => void): unknown;
  cancel(): void;
}

export type AppendTransportError = { readonly code: 'UNAVAILABLE'; readonly message: string };
export type AppendOutcome = Outcome<replicationV1.AppendResponse, AppendTransportError>;
export type OutgoingAppend = Omit<replicationV1.AppendRequest, 'requestId'>;

export interface AppendMultiplexerOptions {
  /** Opens a new stream (a grpc-js `client.append()` without a deadline: it is long-lived). */
  readonly open: () => AppendStreamHandle;
  /** How long one append may wait for its ack. */
  readonly timeoutMs: number;
  /** For messages: "replication node <id> at <address>". */
  readonly label: string;
  readonly now?: () => number;
}

interface InFlight {
  readonly stream: AppendStreamHandle;
  readonly deadline: number;
  readonly resolve: (outcome: AppendOutcome) => void;
}

export interface AppendMultiplexerStats {
  /** Streams opened so far (1 while the first one lives; +1 per re-open after a failure or a stall). */
  readonly streamsOpened: number;
  readonly inFlight: number;
  readonly timedOut: number;
}

export class AppendMultiplexer {
  private stream: AppendStreamHandle | undefined;
  /** Insertion order == send order == deadline order (one timeout for all), which the timer uses. */
  private readonly inFlight = new Map<bigint, InFlight>();
  private nextId = 1n;
  private timer: NodeJS.Timeout | undefined;
  private closed: string | undefined;
  private opened = 0;
  private expired = 0;
  /** When the current stream last delivered an ack (or was opened). */
  private lastAck = 0;
  private readonly now: () => number;

  constructor(private readonly options: AppendMultiplexerOptions) {
    this.now = options.now ?? Date.now;
  }

  stats(): AppendMultiplexerStats {
    return { streamsOpened: this.opened, inFlight: this.inFlight.size, timedOut: this.expired };
  }

  /** Sends one append; resolves with the node's ack, or UNAVAILABLE on deadline, stream death or close. */
  send(request: OutgoingAppend): Promise<AppendOutcome> {
    if (this.closed !== undefined) return Promise.resolve(unavailable(`${this.options.label}: ${this.closed}`));
    let stream: AppendStreamHandle;
    try {
      stream = this.current();
    } catch (err) {
      return Promise.resolve(unavailable(`${this.options.label}: cannot open the Append stream: ${String(err)}`));
    }
    const requestId = this.nextId++;
    return new Promise<AppendOutcome>((resolve) => {
      this.inFlight.set(requestId, { stream, deadline: this.now() + this.options.timeoutMs, resolve });
      this.armTimer();
      try {
        // grpc-js buffers past the HTTP/2 window; memory is bounded by the leader (its tail cache
        // and group commit), so the write's return value is not a reason to refuse here.
        stream.write({ ...request, requestId });
      } catch (err) {
        this.fail(stream, `write failed: ${String(err)}`);
      }
    });
  }

  /** Fails everything in flight and refuses further appends. */
  close(reason = 'client closed'): void {
    if (this.closed !== undefined) return;
    this.closed = reason;
    if (this.stream) this.fail(this.stream, reason);
    this.clearTimer();
  }

  private current(): AppendStreamHandle {
    if (this.stream) return this.stream;
    const stream = this.options.open();
    this.opened++;
    this.lastAck = this.now();
    this.stream = stream;
    stream.on('data', (res) => this.onAck(stream, res));
    stream.on('error', (err) => this.fail(stream, `Append stream failed: ${err.message}`));
    // The node only ends its side after ours; an unexpected end means the stream is gone.
    stream.on('end', () => this.fail(stream, 'Append stream ended by the node'));
    return stream;
  }

  private onAck(stream: AppendStreamHandle, res: replicationV1.AppendResponse): void {
    if (stream === this.stream) this.lastAck = this.now();
    const entry = this.inFlight.get(res.requestId);
    // Unknown ids are acks of requests that already timed out: their callers have their answer.
    if (!entry) return;
    this.inFlight.delete(res.requestId);
    entry.resolve(success(res));
    if (this.inFlight.size === 0) this.clearTimer();
  }

  /** The stream is dead: fail what was sent on it; the next send opens a new one. */
  private fail(stream: AppendStreamHandle, reason: string): void {
    const wasCurrent = this.stream === stream;
    if (wasCurrent) this.stream = undefined;
    for (const [id, entry] of this.inFlight) {
      if (entry.stream !== stream) continue;
      this.inFlight.delete(id);
      entry.resolve(unavailable(`${this.options.label}: ${reason}`));
    }
    if (this.inFlight.size === 0) this.clearTimer();
    // Cancelling makes grpc-js report CANCELLED on the same stream, which lands here again as a
    // stream that is no longer current and has nothing in flight.
    if (wasCurrent) {
      try {
        stream.cancel();
      } catch {
        // Already torn down; nothing more to release.
      }
    }
  }

  /** One timer for the earliest deadline (the oldest request), re-armed as requests complete. */
  private armTimer(): void {
    if (this.timer) return;
    const first = this.inFlight.values().next();
    if (first.done) return;
    const wait = Math.max(0, first.value.deadline - this.now());
    this.timer = setTimeout(() => this.expire(), wait);
    // A broker shutting down should not be kept alive by a deadline; close() resolves the rest.
    this.timer.unref();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private expire(): void {
    this.timer = undefined;
    const now = this.now();
    let stalled: AppendStreamHandle | undefined;
    for (const [id, entry] of this.inFlight) {
      if (entry.deadline > now) break;
      this.inFlight.delete(id);
      this.expired++;
      entry.resolve(unavailable(`${this.options.label}: no ack within ${this.options.timeoutMs} ms (DEADLINE_EXCEEDED)`));
      if (entry.stream === this.stream && now - this.lastAck >= this.options.timeoutMs) stalled = entry.stream;
    }
    // Not a single ack on the stream for a whole deadline: the node is hung (paused, partitioned),
    // not just slow on one partition. Reset the stream, or grpc-js would keep buffering every
    // append written to it in memory until the connection's keepalive gives up.
    if (stalled) this.fail(stalled, `no ack on the Append stream for ${this.options.timeoutMs} ms: stream reset`);
    this.armTimer();
  }
}

function unavailable(message: string): { readonly ok: false; readonly error: AppendTransportError } {
  return failure({ code: 'UNAVAILABLE', message });
}
