import { MemoryKvStore } from '../kv/memory-kv';
import { aclsContract } from './acls-contract.testkit';
import { clusterContract } from './cluster-contract.testkit';
import { tenantUpdateContract } from './tenant-update-contract.testkit';
import { topicsContract } from './topics-contract.testkit';

// Lease expiry tests wait out real (1 s) TTLs.
jest.setTimeout(30_000);

describe('MetadataStore on the in-memory KV store', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  describe('topics', () => topicsContract(() => kv));
  describe('cluster', () => clusterContract(() => kv));
  describe('tenant updates', () => tenantUpdateContract(() => kv));
  describe('acls', () => aclsContract(() => kv));
});
