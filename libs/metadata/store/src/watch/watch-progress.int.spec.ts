import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { watchProgressContract } from './watch-progress-contract.testkit';

describe('shared watch progress on a real etcd', () => {
  useHarness();
  let kv: EtcdKvStore;
  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());
  watchProgressContract(() => kv);
});
