// InitProducerId (KIP-98). Idempotent producers get a fresh producer id at epoch 0 from the
// local block, as a Kafka broker does for a request without a transactional id (it ignores the
// id/epoch a KIP-360 client sends then; bumping is the client's own business). Transactional
// ids need the transaction coordinator, which does not exist yet: those get UNSUPPORTED_VERSION,
// a non-retriable error clients surface at once, instead of a retriable one they would retry
// until max.block.ms.
import type { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { Log } from './leadership-manager';
import { NO_ERROR, budgetMs, kafkaError } from './partition-access';
import type { ProducerIdAllocator } from './producer-ids';

export interface InitProducerIdOptions {
  readonly producerIds: ProducerIdAllocator;
  readonly defaultTimeoutMs: number;
  readonly log: Log;
}

export async function handleInitProducerId(options: InitProducerIdOptions, request: brokerV1.InitProducerIdRequest): Promise<brokerV1.InitProducerIdResponse> {
  const fail = (code: number, message: string): brokerV1.InitProducerIdResponse => ({ error: kafkaError(code, message), producerId: -1n, producerEpoch: -1, throttleTimeMs: 0 });
  if (request.transactionalId !== '') return fail(ErrorCode.UNSUPPORTED_VERSION, 'transactions are not supported by this broker yet');
  const timeoutMs = budgetMs(request.header, options.defaultTimeoutMs);
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const id = await Promise.race([options.producerIds.nextId(), expired]);
    if (id === 'timeout') return fail(ErrorCode.REQUEST_TIMED_OUT, `no producer id block from metadata within ${timeoutMs} ms`);
    return { error: NO_ERROR, producerId: id, producerEpoch: 0, throttleTimeMs: 0 };
  } catch (err) {
    // Metadata unreachable: retriable for the client, which asks again.
    options.log.warn({ err }, 'producer id block allocation failed');
    return fail(ErrorCode.COORDINATOR_NOT_AVAILABLE, 'producer ids are unavailable right now');
  } finally {
    if (timer) clearTimeout(timer);
  }
}
