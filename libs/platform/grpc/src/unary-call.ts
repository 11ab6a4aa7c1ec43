// The one promise form of grpc-js's callback-style unary calls (generated clients and generic ones
// alike). Every call gets a deadline, because a call without one can wait forever on a half-open
// connection; the caller chooses how long, or passes the absolute deadline of a larger budget (a
// Kafka request's timeout_ms).
import { Metadata, status, type CallOptions, type ServiceError } from '@grpc/grpc-js';
import { DEFAULT_CALL_TIMEOUT_MS } from './client';

/**
 * The four-argument overload every generated unary method has (ts-proto's last overload, so
 * TypeScript infers `Req`/`Res` from it when the method is passed as a value). The response is
 * optional in the callback so generic clients (`response?: T`) fit as well.
 */
export type UnaryMethod<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response?: Res) => void,
) => unknown;

export interface UnaryCallOptions {
  /** Deadline this many ms from now (default DEFAULT_CALL_TIMEOUT_MS). Not together with `deadline`. */
  readonly timeoutMs?: number;
  /** An absolute deadline, e.g. what is left of the Kafka request's own budget. Not together with `timeoutMs`. */
  readonly deadline?: Date;
  /** Request metadata (headers); a plain record is turned into Metadata. */
  readonly metadata?: Metadata | Readonly<Record<string, string>>;
  /**
   * gRPC wait-for-ready: while the channel is (re)connecting the call waits, within its deadline,
   * for the connection instead of failing at once with UNAVAILABLE. Default false (fail fast).
   */
  readonly waitForReady?: boolean;
  /** Cancels the call: the promise rejects with status CANCELLED. */
  readonly signal?: AbortSignal;
}

/** A caller's mistake in the options: rejected before anything is sent. */
export class UnaryCallOptionsError extends TypeError {
  override readonly name = 'UnaryCallOptionsError';
}

function resolveDeadline(options: UnaryCallOptions): Date {
  if (options.deadline !== undefined && options.timeoutMs !== undefined) {
    throw new UnaryCallOptionsError('give either timeoutMs or deadline, not both');
  }
  if (options.deadline !== undefined) {
    if (Number.isNaN(options.deadline.getTime())) throw new UnaryCallOptionsError('deadline is an invalid Date');
    return options.deadline;
  }
  const timeoutMs = options.timeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 0) {
    throw new UnaryCallOptionsError(`timeoutMs must be a finite number >= 0, got ${timeoutMs}`);
  }
  return new Date(Date.now() + timeoutMs);
}

function toMetadata(options: UnaryCallOptions): Metadata {
  const given = options.metadata;
  // Metadata options are fixed at construction, so a caller's Metadata is copied when wait-for-ready is asked for.
  const metadata = new Metadata(options.waitForReady ? { waitForReady: true } : undefined);
  if (given instanceof Metadata) {
    metadata.merge(given);
  } else if (given) {
    for (const [key, value] of Object.entries(given)) metadata.set(key, value);
  }
  return metadata;
}

/** The same shape grpc-js gives a cancelled call, for a signal that was aborted before the call began. */
function cancelledBeforeStart(): ServiceError {
  const details = 'cancelled before the call started';
  return Object.assign(new Error(`${status.CANCELLED} CANCELLED: ${details}`), { code: status.CANCELLED, details, metadata: new Metadata() });
}

/**
 * Calls `method` on `client` (as `this`, which generated methods need) and resolves its response;
 * rejects with the call's ServiceError (e.g. DEADLINE_EXCEEDED, UNAVAILABLE, the server's status),
 * or with UnaryCallOptionsError for bad options.
 *
 *     const res = await unaryCall(client, client.getTenant, request, { timeoutMs: 10_000 });
 */
export function unaryCall<Req, Res>(client: object, method: UnaryMethod<Req, Res>, request: Req, options: UnaryCallOptions = {}): Promise<Res> {
  let deadline: Date;
  let metadata: Metadata;
  try {
    deadline = resolveDeadline(options);
    metadata = toMetadata(options);
  } catch (error) {
    return Promise.reject(error);
  }
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(cancelledBeforeStart());
  return new Promise<Res>((resolve, reject) => {
    let onAbort: (() => void) | undefined;
    const call = method.call(client, request, metadata, { deadline }, (error, response) => {
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      // grpc-js always hands a decoded message to a successful callback; anything else is a transport bug.
      else if (response === undefined) reject(new Error(`unary call returned neither an error nor a response`));
      else resolve(response);
    }) as { cancel?: () => void } | undefined;
    if (signal && typeof call?.cancel === 'function') {
      const cancel = call.cancel.bind(call);
      onAbort = () => cancel();
      signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}
