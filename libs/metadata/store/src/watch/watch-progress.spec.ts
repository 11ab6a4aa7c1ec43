import { MemoryKvStore } from '../kv/memory-kv';
import { watchProgressContract } from './watch-progress-contract.testkit';

describe('shared watch progress on the in-memory KV store', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  watchProgressContract(() => kv);
});
