import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { progressContract } from './progress-contract.testkit';

describe('watch progress on a real etcd', () => {
  useHarness();
  let kv: EtcdKvStore;
  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());
  progressContract(() => kv);
});
