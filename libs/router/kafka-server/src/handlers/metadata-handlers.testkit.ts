// Test support for the cluster handlers (Metadata, DescribeCluster, DescribeTopicPartitions,
// FindCoordinator): a request context authenticated as a tenant, and a round trip through the real
// codecs — the request encoded and decoded at the version under test, the response encoded at
// that version and decoded again — so a test sees what a client of that version would.
import { API_REGISTRY } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryClusterView, type RouterEndpoint } from '@stratus/router-cluster-view';
import type { SaslController } from '../sasl/sasl-controller';
import { tenantId } from '../types';
import { isViolation, type ApiHandler, type RequestContext } from './handler';

export function tenantContext(apiKey: number, apiVersion: number, tenant: string | undefined): RequestContext {
  const principal = tenant === undefined ? undefined : { username: `key-of-${tenant}`, tenantId: tenantId(tenant) };
  return {
    header: { apiKey, apiVersion, correlationId: 1, clientId: 'test' },
    sasl: { principal, authenticated: principal !== undefined } as unknown as SaslController,
    listener: { nodeId: 0, host: 'unused', port: 0, clusterId: 'unused' },
    logger: createLogger({ service: 'test', level: 'silent' }),
    advertised: [],
    noteClientSoftware: () => undefined,
  };
}

export async function roundTrip<Res>(handler: ApiHandler, version: number, request: unknown, tenant = 't1'): Promise<Res> {
  const codec = API_REGISTRY.get(handler.apiKey);
  if (!codec) throw new Error(`no codec for key ${handler.apiKey}`);
  const decoded = codec.request.decode(codec.request.encode(request as never, version), version);
  const result = await handler.handle(tenantContext(handler.apiKey, version, tenant), decoded);
  if (isViolation(result)) throw new Error(`violation: ${result.violation}`);
  return codec.response.decode(codec.response.encode(result.response as never, version), version) as Res;
}

export const router = (kafkaNodeId: number, availabilityZone: string): RouterEndpoint => ({
  nodeId: `router-${kafkaNodeId}`,
  kafkaNodeId,
  host: `router-${kafkaNodeId}.example`,
  port: 9092,
  availabilityZone,
});

/** Routers 1-3 in AZ a (this one is 1), 4-5 in AZ b; one broker. */
export function clusterFixture(): InMemoryClusterView {
  return new InMemoryClusterView({
    self: router(1, 'a'),
    routers: [router(2, 'a'), router(3, 'a'), router(4, 'b'), router(5, 'b')],
    brokers: [{ nodeId: 'broker-1', grpcAddress: 'broker-1:7000', availabilityZone: 'a' }],
  });
}
