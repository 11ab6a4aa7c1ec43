// Producer-id blocks (KIP-730): brokers take ranges of producer ids from one counter so ids are
// unique cluster-wide without a call per InitProducerId. A compare-and-swap loop on the counter's
// mod revision makes concurrent allocations disjoint.
import { fail, ok, type Result } from '@stratus/metadata-model';
import { CONFLICT, retryOnConflict, type StoreContext } from './context';
import type { ProducerIdBlock } from './types';

export const DEFAULT_PRODUCER_ID_BLOCK = 1000;
const MAX_PRODUCER_ID = 2n ** 63n - 1n;

export class ProducerIdAllocator {
  constructor(private readonly ctx: StoreContext) {}

  async allocate(size: number = DEFAULT_PRODUCER_ID_BLOCK): Promise<Result<ProducerIdBlock>> {
    if (!Number.isInteger(size) || size < 1 || size > 1_000_000) return fail('INVALID_REQUEST', 'Block size must be in [1, 1000000]');
    const key = this.ctx.keys.producerIdNext();
    return retryOnConflict(async () => {
      const entry = await this.ctx.kv.get(key);
      const start = entry ? BigInt(entry.value.toString()) : 0n;
      const end = start + BigInt(size);
      if (end > MAX_PRODUCER_ID) return fail('UNKNOWN_SERVER_ERROR', 'Producer id space exhausted');
      const result = await this.ctx.kv.txn(
        [entry ? { key, target: 'modRevision', op: '==', value: entry.modRevision } : { key, target: 'createRevision', op: '==', value: 0n }],
        [{ type: 'put', key, value: end.toString() }],
      );
      return result.succeeded ? ok({ start, size }) : CONFLICT;
    });
  }
}
