// The broker's connection to one replication node: one gRPC channel, one multiplexed Append
// stream, and unary calls that always carry a deadline (a call without one can hang forever on a
// half-open connection or a paused process). Shared by every GrpcReplicaPort of partitions that
// have a replica on this node.
import { setMaxListeners } from 'node:events';
import { failure, success, type Outcome, type ReplicaError } from '@stratus/broker-partition';
import { replicationV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall, type GrpcClientOptions, type UnaryMethod } from '@stratus/platform-grpc';
import { AppendMultiplexer, type AppendMultiplexerStats, type AppendOutcome, type OutgoingAppend } from './append-multiplexer';
import { fromTransportError } from './error-mapping';

/** Deadlines of the calls to a replication node. */
export interface ReplicaCallTimeouts {
  /** Fence, Truncate, MarkEpochStart, Read, GetLogState (default 5 s). */
  readonly callTimeoutMs?: number;
  /** From sending an Append until its ack (default 5 s). */
  readonly appendTimeoutMs?: number;
  /** Repair copies a range from a peer, which can take a while (default 60 s). */
  readonly repairTimeoutMs?: number;
}

export const DEFAULT_REPLICA_CALL_TIMEOUT_MS = 5_000;
export const DEFAULT_REPLICA_APPEND_TIMEOUT_MS = 5_000;
export const DEFAULT_REPLICA_REPAIR_TIMEOUT_MS = 60_000;

export interface ReplicationNodeClientOptions extends ReplicaCallTimeouts {
  readonly nodeId: string;
  /** host:port of the node's ReplicationService. */
  readonly address: string;
  /** Channel settings (message size limits, keepalive); our platform defaults otherwise. */
  readonly grpc?: GrpcClientOptions;
}

export interface UnaryCallOptions {
  /** Overrides the client's default deadline for this call. */
  readonly timeoutMs?: number;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
  return value;
}

export class ReplicationNodeClient {
  readonly nodeId: string;
  readonly address: string;
  readonly callTimeoutMs: number;
  readonly appendTimeoutMs: number;
  readonly repairTimeoutMs: number;
  private readonly client: replicationV1.ReplicationServiceClient;
  private readonly appends: AppendMultiplexer;
  private closed = false;
  /** Cancels the unary calls in flight on close() (a closed grpc-js channel lets started calls run on). */
  private readonly cancelCalls = new AbortController();

  constructor(options: ReplicationNodeClientOptions) {
    this.nodeId = options.nodeId;
    this.address = options.address;
    this.callTimeoutMs = positive(options.callTimeoutMs, DEFAULT_REPLICA_CALL_TIMEOUT_MS, 'callTimeoutMs');
    this.appendTimeoutMs = positive(options.appendTimeoutMs, DEFAULT_REPLICA_APPEND_TIMEOUT_MS, 'appendTimeoutMs');
    this.repairTimeoutMs = positive(options.repairTimeoutMs, DEFAULT_REPLICA_REPAIR_TIMEOUT_MS, 'repairTimeoutMs');
    // One listener per call in flight, and a busy leader has many: no leak warning past the default 10.
    setMaxListeners(0, this.cancelCalls.signal);
    // Reads answer up to max_bytes (1 MiB and more): the channel's 8 MiB receive window (the
    // platform default, @stratus/platform-grpc) keeps them from waiting on WINDOW_UPDATEs.
    this.client = createGrpcClient(replicationV1.ReplicationServiceClient, options.address, options.grpc);
    this.appends = new AppendMultiplexer({
      // No deadline on the stream itself: it lives as long as the client; each request has its own.
      open: () => this.client.append(),
      timeoutMs: this.appendTimeoutMs,
      label: this.label,
    });
  }

  get label(): string {
    return `replication node ${this.nodeId} at ${this.address}`;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  appendStats(): AppendMultiplexerStats {
    return this.appends.stats();
  }

  /** Rule 2 over the shared stream; UNAVAILABLE on deadline, stream failure or close. */
  append(request: OutgoingAppend): Promise<AppendOutcome> {
    return this.appends.send(request);
  }

  fence(request: replicationV1.FenceRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.FenceResponse, ReplicaError>> {
    return this.unary('Fence', options, (c) => c.fence, request);
  }

  truncate(request: replicationV1.TruncateRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.TruncateResponse, ReplicaError>> {
    return this.unary('Truncate', options, (c) => c.truncate, request);
  }

  markEpochStart(request: replicationV1.MarkEpochStartRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.MarkEpochStartResponse, ReplicaError>> {
    return this.unary('MarkEpochStart', options, (c) => c.markEpochStart, request);
  }

  repair(request: replicationV1.RepairRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.RepairResponse, ReplicaError>> {
    return this.unary('Repair', { timeoutMs: options?.timeoutMs ?? this.repairTimeoutMs }, (c) => c.repair, request);
  }

  read(request: replicationV1.ReadRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.ReadResponse, ReplicaError>> {
    return this.unary('Read', options, (c) => c.read, request);
  }

  deleteSegmentsBefore(request: replicationV1.DeleteSegmentsBeforeRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.DeleteSegmentsBeforeResponse, ReplicaError>> {
    return this.unary('DeleteSegmentsBefore', options, (c) => c.deleteSegmentsBefore, request);
  }

  getLogState(request: replicationV1.GetLogStateRequest, options?: UnaryCallOptions): Promise<Outcome<replicationV1.GetLogStateResponse, ReplicaError>> {
    return this.unary('GetLogState', options, (c) => c.getLogState, request);
  }

  /** Fails in-flight appends, cancels in-flight calls (they answer UNAVAILABLE) and closes the channel. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.appends.close(`client of ${this.label} closed`);
    this.cancelCalls.abort();
    this.client.close();
  }

  private async unary<Req, Res>(
    method: string,
    options: UnaryCallOptions | undefined,
    invoke: (client: replicationV1.ReplicationServiceClient) => UnaryMethod<Req, Res>,
    request: Req,
  ): Promise<Outcome<Res, ReplicaError>> {
    const where = `${method} on ${this.label}`;
    if (this.closed) return failure({ code: 'UNAVAILABLE', message: `${where}: client closed` });
    const timeoutMs = options?.timeoutMs ?? this.callTimeoutMs;
    try {
      // close() aborts `cancelCalls`: the call answers CANCELLED, mapped to UNAVAILABLE like any transport fault.
      const res = await unaryCall(this.client, invoke(this.client), request, { timeoutMs, signal: this.cancelCalls.signal });
      return success(res);
    } catch (err) {
      // Also what grpc-js throws synchronously on a closed channel or an unserialisable request.
      return failure(fromTransportError(err, where));
    }
  }
}
