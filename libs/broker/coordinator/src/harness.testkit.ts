// Test driver: a runtime over in-memory logs with a manual clock and timers, and a client that
// speaks KafkaPassthrough with real encoded Kafka bodies.
import { brokerV1 } from '@stratus/contracts';
import { topicCatalog, topicId, type GroupConfig, type TopicCatalog } from '@stratus/broker-groups';
import { API_REGISTRY } from '@stratus/kafka-messages';
import { MemoryOffsetsLog } from './memory-offsets-log';
import { passthroughHandler, type PassthroughHandler } from './passthrough/handler';
import { CoordinatorRuntime } from './runtime';
import type { CoordinatorTimers } from './timers';

export class ManualTimers implements CoordinatorTimers {
  now = 1_000_000;
  private seq = 0;
  private readonly pending = new Map<number, { at: number; fn: () => void }>();

  set(fn: () => void, delayMs: number): () => void {
    const id = ++this.seq;
    this.pending.set(id, { at: this.now + Math.max(0, delayMs), fn });
    return () => this.pending.delete(id);
  }

  /** Moves the clock forward, firing due timers in time order and letting their appends settle. */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    for (let guard = 0; guard < 10_000; guard++) {
      const due = [...this.pending.entries()].filter(([, t]) => t.at <= target).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.pending.delete(due[0]);
      this.now = Math.max(this.now, due[1].at);
      due[1].fn();
      await settle();
    }
    this.now = target;
    await settle();
  }
}

/** Lets queued promise chains (appends, parked answers) run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
}

export const ORDERS = topicId('0b5c7d3e-1111-4a2b-8c3d-000000000001');
export const catalog: TopicCatalog = topicCatalog([{ id: ORDERS, name: 'orders', partitions: 6 }]);

export function newRuntime(timers: ManualTimers, opts: { partitionCount?: number; config?: Partial<GroupConfig> } = {}): CoordinatorRuntime {
  let seq = 0;
  return new CoordinatorRuntime({
    partitionCount: opts.partitionCount ?? 1,
    topics: (tenant) => (tenant === 'ta' || tenant === 'tb' ? catalog : topicCatalog([])),
    config: { initialRebalanceDelayMs: 0, ...opts.config },
    clock: () => timers.now,
    timers,
    newId: () => `id${++seq}`,
  });
}

/** A Kafka client of one tenant talking to the broker through KafkaPassthrough. */
export class PassthroughClient {
  private readonly handle: PassthroughHandler;
  private correlation = 0n;

  constructor(
    runtime: CoordinatorRuntime,
    readonly tenantId: string,
  ) {
    this.handle = passthroughHandler(runtime);
  }

  /** The internal form the router would send. */
  g(groupId: string): string {
    return `${this.tenantId}/${groupId}`;
  }

  async raw(apiKey: number, apiVersion: number, body: Buffer): Promise<brokerV1.KafkaPassthroughResponse> {
    return this.handle(
      brokerV1.KafkaPassthroughRequest.fromPartial({
        header: { correlationId: ++this.correlation, tenantId: { value: this.tenantId }, apiVersion, clientId: 'cli', clientHost: '/10.0.0.9' },
        apiKey,
        apiVersion,
        request: body,
      }),
    );
  }

  /** Encodes `request` at `apiVersion`, sends it and decodes the response (throws on a passthrough-level error). */
  async call<T = Record<string, unknown>>(apiKey: number, apiVersion: number, request: object): Promise<T> {
    const codec = API_REGISTRY.get(apiKey);
    if (!codec) throw new Error(`no codec for ${apiKey}`);
    const r = await this.raw(apiKey, apiVersion, codec.request.encode(request, apiVersion));
    if (r.error && r.error.code !== 0) throw new Error(`passthrough error ${r.error.code}: ${r.error.message}`);
    return codec.response.decode(r.response, apiVersion) as T;
  }

  /** Starts a call without awaiting it (parked JoinGroup/SyncGroup). */
  start<T = Record<string, unknown>>(apiKey: number, apiVersion: number, request: object): { done: boolean; result: Promise<T> } {
    const s = { done: false, result: this.call<T>(apiKey, apiVersion, request) };
    void s.result.then(
      () => (s.done = true),
      () => (s.done = true),
    );
    return s;
  }
}

export function freshLog(): MemoryOffsetsLog {
  return new MemoryOffsetsLog();
}
