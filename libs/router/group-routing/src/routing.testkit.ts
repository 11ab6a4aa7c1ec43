// Test doubles: a cluster view with an offsets topic over two brokers, fake brokers answering
// KafkaPassthrough with a function per node, and a request context of one tenant.
import { brokerV1 } from '@stratus/contracts';
import { API_REGISTRY } from '@stratus/kafka-messages';
import { InMemoryClusterView, type RouterEndpoint, type TopicView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { groupHandlers } from './group-handlers';
import type { PassthroughRpc } from './passthrough-rpc';

export const SYSTEM = '__system';
export const OFFSETS = '__stratus_offsets';
export const PARTITIONS = 8;

export const router = (n: number, az = 'az1'): RouterEndpoint => ({ nodeId: `r${n}`, kafkaNodeId: n, host: `router-${n}`, port: 9092, availabilityZone: az });

/** Offsets partition p is led by broker b0 when p is even, b1 when odd. */
export function clusterView(self: RouterEndpoint = router(1), routers: RouterEndpoint[] = [self]): { view: InMemoryClusterView; offsets: TopicView } {
  const view = new InMemoryClusterView({
    self,
    routers,
    brokers: [
      { nodeId: 'b0', grpcAddress: '127.0.0.1:1', availabilityZone: 'az1' },
      { nodeId: 'b1', grpcAddress: '127.0.0.1:2', availabilityZone: 'az2' },
    ],
  });
  const offsets = view.addTopic({ tenantId: SYSTEM, name: OFFSETS, partitionCount: PARTITIONS, internal: true });
  for (let p = 0; p < PARTITIONS; p++) view.setPartition({ topicId: offsets.topicId, partition: p, leaderNodeId: p % 2 === 0 ? 'b0' : 'b1', leaderEpoch: 1, replicaNodeIds: [] });
  return { view, offsets };
}

export interface Received {
  readonly nodeId: string;
  readonly tenantId: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  readonly body: Record<string, unknown>;
  /** The gRPC deadline and the header's time budget the router gave the call. */
  readonly timeoutMs: number;
  readonly headerTimeoutMs: number;
}

type Answer = (r: Received) => object | { passthroughError: number } | 'unreachable';

/** Brokers that decode what they receive, record it and answer with `answer`. */
export class FakeBrokers implements PassthroughRpc {
  readonly received: Received[] = [];
  constructor(public answer: Answer) {}

  async kafkaPassthrough(nodeId: string, request: brokerV1.KafkaPassthroughRequest, timeoutMs: number): Promise<brokerV1.KafkaPassthroughResponse> {
    const codec = API_REGISTRY.get(request.apiKey);
    if (!codec) throw new Error('no codec');
    const r: Received = {
      nodeId,
      tenantId: request.header?.tenantId?.value ?? '',
      apiKey: request.apiKey,
      apiVersion: request.apiVersion,
      body: codec.request.decode(Buffer.from(request.request), request.apiVersion) as Record<string, unknown>,
      timeoutMs,
      headerTimeoutMs: request.header?.timeoutMs ?? -1,
    };
    this.received.push(r);
    const a = this.answer(r);
    if (a === 'unreachable') throw new Error(`broker ${nodeId} unreachable`);
    if ('passthroughError' in a) return { error: { code: a.passthroughError, message: 'refused' }, response: Buffer.alloc(0) };
    return { response: codec.response.encode(a, request.apiVersion) };
  }
}

const silent = { warn: () => undefined, error: () => undefined, info: () => undefined, debug: () => undefined };

export function context(tenantId: string, apiKey: number, apiVersion: number): RequestContext {
  return {
    header: { apiKey, apiVersion, correlationId: 7, clientId: 'app' },
    sasl: { principal: { username: `key-${tenantId}`, tenantId } },
    logger: silent,
  } as unknown as RequestContext;
}

export function handlersFor(view: InMemoryClusterView, brokers: PassthroughRpc, scope: 'all' | 'coordinated-here' = 'all'): Map<number, ApiHandler> {
  const hs = groupHandlers({ view, brokers, offsetsTopic: () => view.topicByName(SYSTEM, OFFSETS), listGroupsScope: scope });
  return new Map(hs.map((h) => [h.apiKey, h]));
}

/** Runs a handler and returns its response (the test fails on a violation). */
export async function call<T = Record<string, any>>(handlers: Map<number, ApiHandler>, tenantId: string, apiKey: number, apiVersion: number, request: object): Promise<T> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const h = handlers.get(apiKey);
  if (!h) throw new Error(`no handler for ${apiKey}`);
  // Round-trip through the codec as the connection would, so requests are in the decoded shape.
  const codec = API_REGISTRY.get(apiKey);
  const decoded = codec ? codec.request.decode(codec.request.encode(request, apiVersion), apiVersion) : request;
  const r = await h.handle(context(tenantId, apiKey, apiVersion), decoded);
  if ('violation' in r) throw new Error(r.violation);
  // And the response must encode at the client's version.
  codec?.response.encode(r.response, apiVersion);
  return r.response as T;
}
