import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { aclsContract } from './acls-contract.testkit';
import { clusterContract } from './cluster-contract.testkit';
import { tenantUpdateContract } from './tenant-update-contract.testkit';
import { topicsContract } from './topics-contract.testkit';

describe('MetadataStore on a real etcd', () => {
  useHarness();
  let kv: EtcdKvStore;
  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());
  describe('topics', () => topicsContract(() => kv));
  describe('cluster', () => clusterContract(() => kv));
  describe('tenant updates', () => tenantUpdateContract(() => kv));
  describe('acls', () => aclsContract(() => kv));
});
