import { startEtcd, useHarness } from '@stratus/platform-testing';
import { EtcdKvStore } from '../kv/etcd-kv';
import { kafkaNodeIdContract } from './kafka-node-ids-contract.testkit';

describe('router Kafka node ids on a real etcd', () => {
  useHarness();
  let kv: EtcdKvStore;
  beforeAll(async () => {
    const etcd = await startEtcd();
    kv = new EtcdKvStore({ endpoints: etcd.endpoints });
  });
  afterAll(() => kv.close());
  kafkaNodeIdContract(() => kv);
});
