import { MemoryKvStore } from '@stratus/metadata-store';
import { controllerScenarios } from './scenarios.testkit';

jest.setTimeout(30_000);

describe('Controller on the in-memory KV store', () => {
  const kv = new MemoryKvStore();
  afterAll(() => kv.close());
  controllerScenarios(() => kv, { ttlSeconds: 1, boundMs: 1500 });
});
