// Serves one long-lived bidirectional stream (Produce or Fetch): every request is handled
// concurrently and answered when done, in any order (the router restores Kafka's order by
// correlation id). Memory is bounded: the bytes of requests in flight (and of the responses they
// may produce) are reserved from a per-stream budget; above it the stream stops reading, so
// HTTP/2 flow control pushes back on the router instead of this process buffering without bound.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import type { Log } from './leadership-manager';
import type { SharedByteBudget } from './shared-budget';

export interface StreamPumpOptions<Req, Res> {
  readonly call: ServerDuplexStream<Req, Res>;
  /** Bytes a request holds while in flight (its payload, or the response size it may produce). */
  readonly sizeOf: (request: Req) => number;
  readonly maxInFlightBytes: number;
  /** The process-wide budget all streams of this kind share (shared-budget.ts); absent: per stream only. */
  readonly shared?: SharedByteBudget;
  /** Never rejects for an expected failure: errors are answered as values in the response. */
  readonly handle: (request: Req, signal: AbortSignal) => Promise<Res | undefined>;
  /** The answer when `handle` threw (a bug): a whole-request error for the same correlation id. */
  readonly onFault: (request: Req, err: unknown) => Res;
  readonly log: Log;
}

export interface StreamPumpStats {
  readonly inFlightBytes: number;
  readonly inFlightRequests: number;
  readonly paused: boolean;
}

export function pumpStream<Req, Res>(options: StreamPumpOptions<Req, Res>): () => StreamPumpStats {
  const { call, maxInFlightBytes } = options;
  const abort = new AbortController();
  let inFlightBytes = 0;
  let inFlight = 0;
  let readPaused = false;
  let writeBlocked = false;
  let ended = false;
  let closed = false;

  const updateFlow = (): void => {
    if (closed) return;
    // Resume below half the budget so a stream at the limit does not flap on every response.
    const overBudget = inFlightBytes > maxInFlightBytes || (readPaused && inFlightBytes > maxInFlightBytes / 2);
    const shouldPause = overBudget || writeBlocked || (options.shared?.exhausted(readPaused) ?? false);
    if (shouldPause && !readPaused) {
      readPaused = true;
      call.pause();
    } else if (!shouldPause && readPaused) {
      readPaused = false;
      call.resume();
    }
  };

  const finishIfDone = (): void => {
    if (ended && inFlight === 0 && !closed) {
      closed = true;
      unsubscribe?.();
      call.end();
    }
  };

  const unsubscribe = options.shared?.onRelief(() => updateFlow());
  const close = (): void => {
    closed = true;
    unsubscribe?.();
    abort.abort();
  };
  call.on('cancelled', close);
  call.on('error', (err: unknown) => {
    options.log.debug({ err }, 'stream error');
    close();
  });
  call.on('end', () => {
    ended = true;
    finishIfDone();
  });
  call.on('drain', () => {
    writeBlocked = false;
    updateFlow();
  });

  call.on('data', (request: Req) => {
    const size = Math.max(0, options.sizeOf(request));
    inFlightBytes += size;
    inFlight++;
    options.shared?.reserve(size);
    updateFlow();
    options
      .handle(request, abort.signal)
      .catch((err: unknown) => {
        options.log.error({ err }, 'request handler failed');
        return options.onFault(request, err);
      })
      .then((response) => {
        if (response !== undefined && !closed) {
          if (!call.write(response)) writeBlocked = true;
        }
      })
      .finally(() => {
        inFlightBytes -= size;
        inFlight--;
        // Released after our own bookkeeping: the relief callback may resume this very stream.
        options.shared?.release(size);
        updateFlow();
        finishIfDone();
      })
      .catch(() => undefined);
  });

  return () => ({ inFlightBytes, inFlightRequests: inFlight, paused: readPaused });
}
