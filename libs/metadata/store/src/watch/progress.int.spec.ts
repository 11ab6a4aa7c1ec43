import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { progressContract } from './progress-contract.testkit';
import { watchProgressContract } from './watch-progress-contract.testkit';

// Both progress contracts (one watch's proof, and the store's shared clock over many streams) on
// one real etcd.
describe('watch progress on a real etcd', () => {
  useHarness();
  let kv: EtcdKvStore;
  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());
  progressContract(() => kv);
  describe('shared watch progress', () => watchProgressContract(() => kv));
});
