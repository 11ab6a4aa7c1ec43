import { MemoryKvStore } from '../kv/memory-kv';
import { kafkaNodeIdContract } from './kafka-node-ids-contract.testkit';

describe('router Kafka node ids on the in-memory KV store', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  kafkaNodeIdContract(() => kv);
});
