// The one place where stratus.replication.v1 answers become ReplicaPort values. The contract keeps
// replica refusals in the response (ReplicaError) and gRPC status codes for transport faults
// (replication_service.proto); the port (broker-partition replica-port.ts) wants refusals one to
// one and every transport fault as UNAVAILABLE, because for a leader an unreachable replica is a
// normal, retriable condition.
import { status as GrpcStatus, type ServiceError } from '@grpc/grpc-js';
import { epoch, failure, success, type Epoch, type EpochStart, type ReplicaError, type ReplicaLogState, type ReplicaResult } from '@stratus/broker-partition';
import { replicationV1 } from '@stratus/contracts';

const Code = replicationV1.ReplicaErrorCode;
const INT32_MAX = 2 ** 31 - 1;

/** What the RPC was, because a few wire codes mean different things to different operations. */
export type ReplicaOperation = 'fence' | 'append' | 'truncate' | 'markEpochStart' | 'repair' | 'read' | 'advanceLogStart';

/** The parts of a response, besides its error, that some refusals carry (see each code below). */
export interface ErrorContext {
  readonly operation: ReplicaOperation;
  /** The epoch the request was sent with. */
  readonly requestEpoch?: number;
  /** The replica's promised epoch as the response reports it (-1 = never fenced). */
  readonly promisedEpoch?: number;
  readonly logStart?: bigint;
  readonly logEnd?: bigint;
}

function isWireEpoch(value: number | undefined): value is number {
  return value !== undefined && Number.isInteger(value) && value >= 0 && value <= INT32_MAX;
}

const codeName = (code: replicationV1.ReplicaErrorCode): string => replicationV1.replicaErrorCodeToJSON(code);

const unavailable = (message: string): ReplicaError => ({ code: 'UNAVAILABLE', message });

/** A replica's refusal, as the port's value. Never throws: unknown codes are UNAVAILABLE. */
export function fromWireError(error: replicationV1.ReplicaError, ctx: ErrorContext): ReplicaError {
  const message = error.message || codeName(error.code);
  switch (error.code) {
    case Code.FENCED: {
      // Losing a FENCED would let a deposed leader go on serving, so it is kept even when the
      // response lacks the promised epoch: rule 1 says it is above the request's, which is a
      // true lower bound for the stop reason the leader logs.
      if (isWireEpoch(ctx.promisedEpoch) && (ctx.requestEpoch === undefined || ctx.promisedEpoch > ctx.requestEpoch)) {
        return { code: 'FENCED', promisedEpoch: epoch(ctx.promisedEpoch) };
      }
      const floor = isWireEpoch(ctx.requestEpoch) && ctx.requestEpoch < INT32_MAX ? ctx.requestEpoch + 1 : INT32_MAX;
      return { code: 'FENCED', promisedEpoch: epoch(floor) };
    }
    case Code.NOT_FENCED:
      return { code: 'NOT_FENCED', promisedEpoch: isWireEpoch(ctx.promisedEpoch) ? epoch(ctx.promisedEpoch) : undefined };
    case Code.UNKNOWN_PARTITION:
      // The node keeps no state for the partition (never fenced here, or its replica was removed):
      // for an epoch-gated operation that is "fence first" (Fence creates the replica); a read
      // simply has nothing to serve there.
      return ctx.operation === 'read' ? unavailable(`UNKNOWN_PARTITION: ${message}`) : { code: 'NOT_FENCED', promisedEpoch: undefined };
    case Code.OUT_OF_ORDER:
      if (ctx.logEnd === undefined) return unavailable(`OUT_OF_ORDER without the replica's log end: ${message}`);
      return { code: 'OUT_OF_ORDER', logEnd: ctx.logEnd };
    case Code.OFFSET_OUT_OF_RANGE:
      if (ctx.logStart === undefined || ctx.logEnd === undefined) return unavailable(`OFFSET_OUT_OF_RANGE without the replica's bounds: ${message}`);
      return { code: 'OFFSET_OUT_OF_RANGE', logStart: ctx.logStart, logEnd: ctx.logEnd };
    case Code.CORRUPT:
      return { code: 'CORRUPT', message };
    case Code.PEER_UNAVAILABLE:
      return { code: 'PEER_UNAVAILABLE', message };
    // Retriable from the leader's point of view: another replica or a later attempt may succeed.
    // INVALID_REQUEST means this adapter sent something the node could not parse (the port
    // validates partitions and epochs first), so it is a bug or a version skew, not a refusal the
    // leader could act on; it stays visible in the message.
    case Code.DISK_FULL:
    case Code.NOT_READY:
    case Code.STORAGE_ERROR:
    case Code.INVALID_REQUEST:
      return unavailable(`${codeName(error.code)}: ${message}`);
    default:
      return unavailable(`unknown replica error ${String(error.code)}: ${message}`);
  }
}

/** A gRPC status (deadline, connection refused or reset, cancelled, bad frame) as UNAVAILABLE. */
export function fromTransportError(err: unknown, where: string): ReplicaError {
  if (isServiceError(err)) {
    const name = GrpcStatus[err.code] ?? String(err.code);
    return unavailable(`${where}: ${name}: ${err.details || err.message}`);
  }
  return unavailable(`${where}: ${err instanceof Error ? err.message : String(err)}`);
}

function isServiceError(err: unknown): err is ServiceError {
  return typeof err === 'object' && err !== null && 'code' in err && typeof (err as { code: unknown }).code === 'number';
}

/**
 * LogState → the port's view. -1 as promised epoch means "never fenced" (proto3 has no absent
 * int32 and 0 is a valid epoch). A state that breaks the contract (an epoch outside int32, no
 * state at all) is a fault of the node, reported as UNAVAILABLE rather than trusted.
 */
export function fromWireState(state: replicationV1.LogState | undefined, where: string): ReplicaResult<ReplicaLogState> {
  if (!state) return failure(unavailable(`${where}: the response carries no log state`));
  let promisedEpoch: Epoch | undefined;
  if (state.promisedEpoch !== -1) {
    if (!isWireEpoch(state.promisedEpoch)) return failure(unavailable(`${where}: invalid promised epoch ${state.promisedEpoch}`));
    promisedEpoch = epoch(state.promisedEpoch);
  }
  const history: EpochStart[] = [];
  for (const e of state.epochHistory) {
    if (!isWireEpoch(e.epoch)) return failure(unavailable(`${where}: invalid epoch ${e.epoch} in the epoch history`));
    history.push({ epoch: epoch(e.epoch), startOffset: e.startOffset });
  }
  return success({ promisedEpoch, logStart: servableStart(state), durableLogStart: state.logStartOffset, logEnd: state.logEndOffset, epochHistory: history });
}

/**
 * The first offset a replica serves: `log_start_offset` is the logical start over both tiers and
 * `local_log_start_offset` the first offset on its disk (log.proto); reads work from the higher.
 */
export function servableStart(bounds: { readonly logStartOffset: bigint; readonly localLogStartOffset: bigint }): bigint {
  return bounds.localLogStartOffset > bounds.logStartOffset ? bounds.localLogStartOffset : bounds.logStartOffset;
}

/**
 * The answer of the state-returning RPCs (Fence, Truncate, MarkEpochStart, Repair): their
 * refusals take promised epoch and log bounds from the state that comes with them.
 */
export function fromStateResponse(
  res: { readonly error?: replicationV1.ReplicaError | undefined; readonly state?: replicationV1.LogState | undefined },
  ctx: ErrorContext,
): ReplicaResult<ReplicaLogState> {
  if (res.error) {
    return failure(
      fromWireError(res.error, {
        ...ctx,
        promisedEpoch: res.state?.promisedEpoch,
        logStart: res.state ? servableStart(res.state) : undefined,
        logEnd: res.state?.logEndOffset,
      }),
    );
  }
  return fromWireState(res.state, ctx.operation);
}
