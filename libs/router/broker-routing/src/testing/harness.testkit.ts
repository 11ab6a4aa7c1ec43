// Unit-test harness: an InMemoryClusterView (two brokers in two AZs, three routers), a
// FakeBrokerCluster behind InMemoryBrokers, the data-path handlers over them, and a way to call a
// handler the way the connection does — including encoding the answer at the request's version,
// so a response the client could not receive fails the test.
import { API_REGISTRY } from '@stratus/kafka-messages';
import { createLogger } from '@stratus/platform-logging';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { tenantId, type ApiHandler, type HandlerResult, type RequestContext } from '@stratus/router-kafka-server';
import { FetchSessionCache } from '../fetch/fetch-session-cache';
import { dataPathHandlers, type DataPathHandlersOptions } from '../handlers/data-path-handlers';
import { FakeBrokerCluster, InMemoryBrokers } from './fake-broker.testkit';

export const ROUTER_SELF = { nodeId: 'router-a1', kafkaNodeId: 1, host: 'r-a1', port: 9092, availabilityZone: 'az-a' };
export const ROUTERS = [
  { nodeId: 'router-a2', kafkaNodeId: 2, host: 'r-a2', port: 9092, availabilityZone: 'az-a' },
  { nodeId: 'router-b1', kafkaNodeId: 3, host: 'r-b1', port: 9092, availabilityZone: 'az-b' },
];
export const BROKERS = [
  { nodeId: 'broker-1', grpcAddress: '127.0.0.1:1', availabilityZone: 'az-a' },
  { nodeId: 'broker-2', grpcAddress: '127.0.0.1:2', availabilityZone: 'az-b' },
];

export const logger = createLogger({ service: 'broker-routing-test', level: 'silent' });

export interface Harness {
  readonly view: InMemoryClusterView;
  readonly cluster: FakeBrokerCluster;
  readonly brokers: InMemoryBrokers;
  readonly sessions: FetchSessionCache;
  call(apiKey: number, version: number, request: unknown, options?: { tenant?: string }): Promise<{ result: HandlerResult; decoded: unknown }>;
}

export function harness(options: Partial<DataPathHandlersOptions> = {}): Harness {
  const view = new InMemoryClusterView({ self: ROUTER_SELF, routers: ROUTERS, brokers: BROKERS });
  const cluster = new FakeBrokerCluster();
  const brokers = new InMemoryBrokers(cluster);
  let nextSession = 100;
  const sessions = new FetchSessionCache({ maxSessions: 10, newSessionId: () => nextSession++ });
  const handlers = new Map<number, ApiHandler>(
    dataPathHandlers({ view, connections: brokers, logger, fetchSessions: sessions, retry: { backoffMs: 1, catchUpTimeoutMs: 50 }, ...options }).map((h) => [h.apiKey, h]),
  );
  return {
    view,
    cluster,
    brokers,
    sessions,
    async call(apiKey, version, request, callOptions = {}) {
      const handler = handlers.get(apiKey);
      if (!handler) throw new Error(`no handler for ${apiKey}`);
      if (version < handler.minVersion || version > handler.maxVersion) throw new Error(`version ${version} outside ${handler.name}'s range`);
      const outcome = await handler.handle(context(apiKey, version, callOptions.tenant ?? 'tenant-1'), request);
      if ('violation' in outcome) throw new Error(`violation: ${outcome.violation}`);
      const codec = API_REGISTRY.get(apiKey);
      if (!codec) throw new Error(`no codec for ${apiKey}`);
      // Round trip through the wire format at the client's version.
      const decoded = codec.response.decode(codec.response.encode(outcome.response, version), version);
      return { result: outcome, decoded };
    },
  };
}

export function context(apiKey: number, apiVersion: number, tenant: string): RequestContext {
  return {
    header: { apiKey, apiVersion, correlationId: 7, clientId: 'unit-test' },
    sasl: { principal: { username: 'user', tenantId: tenantId(tenant) } } as unknown as RequestContext['sasl'],
    listener: { nodeId: 1, host: 'r-a1', port: 9092, clusterId: 'c' },
    logger,
    advertised: [],
    noteClientSoftware: () => undefined,
  };
}

/** The records of a message set as strings (values), in offset order. */
export { buildBatch, readRecords, splitBatches } from '@stratus/kafka-records';
