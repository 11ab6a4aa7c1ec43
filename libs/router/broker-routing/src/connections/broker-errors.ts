// Transport faults between a router and a broker. They are exceptions (not Kafka error values):
// the handlers turn them into a retry after `view.catchUp()`, and only when the request's time is
// spent into a retriable Kafka error for the client.
import { ErrorCode } from '@stratus/kafka-errors';

/** Why a call to a broker produced no answer. */
export type BrokerFailureKind =
  /** The broker is not in the cluster view (deregistered, or not yet seen). */
  | 'unknown-broker'
  /** The Produce/Fetch stream broke (broker restarted, connection reset) with the call in flight. */
  | 'stream-failed'
  /** No answer before the call's deadline. */
  | 'deadline'
  /** A unary call failed with a gRPC status; `kafkaCode` carries the mapped Kafka code. */
  | 'call-failed'
  /** BrokerConnections was closed. */
  | 'closed';

export class BrokerUnavailableError extends Error {
  readonly retriable: boolean;

  constructor(
    readonly kind: BrokerFailureKind,
    readonly nodeId: string,
    message: string,
    /** The Kafka error a client would see if no retry succeeds. */
    readonly kafkaCode: number = kafkaCodeFor(kind),
  ) {
    super(`broker ${nodeId}: ${message}`);
    this.name = 'BrokerUnavailableError';
    this.retriable = kind !== 'closed';
  }
}

function kafkaCodeFor(kind: BrokerFailureKind): number {
  switch (kind) {
    case 'deadline':
      return ErrorCode.REQUEST_TIMED_OUT;
    case 'closed':
      return ErrorCode.BROKER_NOT_AVAILABLE;
    default:
      // Every Kafka client answers NOT_LEADER_OR_FOLLOWER by refreshing metadata and retrying,
      // which is the recovery wanted while a broker restarts or leadership moves.
      return ErrorCode.NOT_LEADER_OR_FOLLOWER;
  }
}

export function isBrokerUnavailable(error: unknown): error is BrokerUnavailableError {
  return error instanceof BrokerUnavailableError;
}
