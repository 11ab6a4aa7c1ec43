import { MemoryKvStore } from '../kv/memory-kv';
import { progressContract } from './progress-contract.testkit';

describe('watch progress on the in-memory KV store', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  progressContract(() => kv);
});
