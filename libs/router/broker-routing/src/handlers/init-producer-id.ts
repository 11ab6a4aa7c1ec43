// InitProducerId (key 22). Idempotent producers (no transactional id) may get their producer id
// from any broker: ids are allocated cluster-wide, so the router picks a broker of its own AZ.
// Transactional producers must reach the transaction coordinator of their (tenant-namespaced)
// transactional id. Locating it is the `transactionCoordinator` option; while none is known the
// answer is COORDINATOR_NOT_AVAILABLE, which every client retries (docs/router.md).
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { InitProducerIdRequest, InitProducerIdResponse } from '@stratus/kafka-messages';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { isBrokerUnavailable } from '../connections/broker-errors';
import { catchUp } from '../routing/route-by-leader';
import { brokerHeader, delay, tenantOf, type RoutingDeps } from '../routing/routing-context';
import { internalTransactionalId } from './topic-resolution';

/** Node id of the broker coordinating an internal transactional id, if known. */
export type TransactionCoordinatorLookup = (tenantId: string, internalTransactionalId: string) => string | undefined;

/** Errors after which the coordinator may be found elsewhere once the view caught up. */
const RETRIABLE = new Set<number>([ErrorCode.NOT_COORDINATOR, ErrorCode.COORDINATOR_NOT_AVAILABLE, ErrorCode.NOT_LEADER_OR_FOLLOWER]);

export function initProducerIdHandler(
  deps: RoutingDeps,
  options: { defaultTimeoutMs: number; transactionCoordinator: TransactionCoordinatorLookup | undefined },
): ApiHandler {
  return {
    apiKey: 22,
    name: 'InitProducerId',
    minVersion: 0,
    maxVersion: 5,
    async handle(ctx: RequestContext, raw: unknown) {
      const request = raw as InitProducerIdRequest;
      const tenant = tenantOf(ctx);
      const transactionalId = request.transactionalId ? internalTransactionalId(tenant, request.transactionalId) : '';
      const deadline = Date.now() + options.defaultTimeoutMs;
      let code: number = ErrorCode.COORDINATOR_NOT_AVAILABLE;
      for (let attempt = 1; ; attempt++) {
        const nodeId = transactionalId ? options.transactionCoordinator?.(tenant, transactionalId) : anyBroker(deps, attempt);
        if (nodeId !== undefined) {
          const remainingMs = Math.max(1, deadline - Date.now());
          try {
            const answer = await deps.brokers.initProducerId(
              nodeId,
              brokerV1.InitProducerIdRequest.fromPartial({
                header: brokerHeader(ctx, { timeoutMs: remainingMs }),
                transactionalId,
                transactionTimeoutMs: request.transactionTimeoutMs,
                producerId: request.producerId ?? -1n,
                producerEpoch: request.producerEpoch ?? -1,
              }),
              remainingMs,
            );
            code = answer.error?.code ?? ErrorCode.NONE;
            if (!RETRIABLE.has(code)) return { response: answerWith(code, answer) };
          } catch (error) {
            if (!isBrokerUnavailable(error)) throw error;
            code = transactionalId ? ErrorCode.COORDINATOR_NOT_AVAILABLE : error.kafkaCode;
            if (!error.retriable) break;
          }
        } else if (!transactionalId) {
          code = ErrorCode.BROKER_NOT_AVAILABLE;
        }
        const timeLeft = deadline - Date.now();
        if (attempt >= deps.retry.maxAttempts || timeLeft < deps.retry.minRetryBudgetMs) break;
        await catchUp(deps, Math.min(deps.retry.catchUpTimeoutMs, timeLeft / 2));
        await delay(Math.min(deps.retry.backoffMs * attempt, Math.max(0, deadline - Date.now())));
      }
      // Idempotent-only producers see a retriable error too: a missing broker is a transient state.
      return { response: answerWith(code === ErrorCode.BROKER_NOT_AVAILABLE || code === ErrorCode.NOT_LEADER_OR_FOLLOWER ? ErrorCode.COORDINATOR_NOT_AVAILABLE : code, undefined) };
    },
  };
}

/** Spreads producer-id requests over brokers; rotates further on each retry. */
let rotation = 0;

/** A broker of this router's AZ if there is one (no cross-AZ traffic), a different one per retry. */
function anyBroker(deps: RoutingDeps, attempt: number): string | undefined {
  const brokers = deps.view.brokers();
  if (brokers.length === 0) return undefined;
  const az = deps.view.self().availabilityZone;
  const local = brokers.filter((b) => b.availabilityZone === az);
  const pool = (local.length > 0 ? local : brokers).slice().sort((a, b) => a.nodeId.localeCompare(b.nodeId));
  if (attempt === 1) rotation = (rotation + 1) % pool.length;
  return pool[(rotation + attempt - 1) % pool.length]?.nodeId;
}

function answerWith(code: number, answer: brokerV1.InitProducerIdResponse | undefined): InitProducerIdResponse {
  const ok = code === ErrorCode.NONE && answer !== undefined;
  return {
    throttleTimeMs: answer?.throttleTimeMs ?? 0,
    errorCode: code,
    producerId: ok ? answer.producerId : -1n,
    producerEpoch: ok ? answer.producerEpoch : -1,
  };
}
