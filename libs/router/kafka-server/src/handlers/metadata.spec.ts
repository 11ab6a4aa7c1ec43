import { createLogger } from '@stratus/platform-logging';
import type { MetadataResponse } from '@stratus/kafka-messages';
import { InMemoryCredentialSource } from '../credentials/in-memory-credential-source';
import { SaslController } from '../sasl/sasl-controller';
import type { RequestContext } from './handler';
import { metadataHandler } from './metadata';

const ctx: RequestContext = {
  header: { apiKey: 3, apiVersion: 12, correlationId: 1, clientId: 'c' },
  sasl: new SaslController({ mechanisms: ['PLAIN'], credentials: new InMemoryCredentialSource(), maxSessionLifetimeMs: 0 }),
  listener: { nodeId: 7, host: 'router.example', port: 9092, clusterId: 'cluster-x' },
  logger: createLogger({ service: 't', level: 'silent' }),
  advertised: [],
  noteClientSoftware: () => undefined,
};

describe('Metadata (provisional)', () => {
  it('advertises this router as the only broker and controller, with no topics', async () => {
    const { response } = (await metadataHandler.handle(ctx, { topics: null })) as { response: MetadataResponse };
    expect(response).toMatchObject({ brokers: [{ nodeId: 7, host: 'router.example', port: 9092 }], controllerId: 7, clusterId: 'cluster-x', topics: [] });
  });

  it('answers topics asked for by name or by id as unknown', async () => {
    const topicId = '01234567-89ab-cdef-0123-456789abcdef';
    const { response } = (await metadataHandler.handle(ctx, { topics: [{ name: 'orders' }, { name: null, topicId }] })) as { response: MetadataResponse };
    expect(response.topics.map((t) => [t.name, t.errorCode])).toEqual([
      ['orders', 3],
      [null, 100],
    ]);
    expect(response.topics[1]?.topicId).toBe(topicId);
  });
});
