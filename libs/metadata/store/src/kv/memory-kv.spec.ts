import { kvContract } from './kv-contract.testkit';
import { MemoryKvStore } from './memory-kv';

describe('MemoryKvStore contract', () => {
  const kv = new MemoryKvStore();
  let n = 0;
  afterAll(() => kv.close());
  kvContract(() => ({ kv, prefix: `/t${++n}/` }));
});
