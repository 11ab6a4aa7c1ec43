// Fewer, larger gRPC messages from a router to each broker: Produce requests for one broker that
// arrive in the same event-loop turn (from any client connection of the tenant) are sent as one
// broker ProduceRequest and its answer is split back per request. A Kafka client already batches
// the partitions of one broker into one request, but the router fronts many clients and spreads
// each client's partitions over several brokers, so a broker would otherwise decode, schedule and
// answer one stream message per client request (the router's own cost per message is the same).
//
// What may share a message, and why:
//   - the same broker, tenant and acks: the broker reads only these (and timeout_ms) from a
//     request; the tenant scopes partition lookups, so tenants never share a message;
//   - no transactional id: a transactional produce is checked against its transaction as a whole;
//   - no partition twice in one message: the broker appends a message's partitions concurrently,
//     so two batches of one partition (an idempotent producer's consecutive requests) must stay in
//     separate messages, sent in arrival order — exactly the order they would have had unmerged;
//   - at most `maxMessageBytes` of records, far below the gRPC message limit.
// The merged request's timeout is the longest of its parts; a part with a shorter one gets its own
// timer, so no client waits past its request's timeout (Kafka's acks=all purgatory rule).
import type { brokerV1 } from '@stratus/contracts';
import { partitionKey } from '../routing/routing-context';
import type { BrokerRpc } from './broker-connections';
import { BrokerUnavailableError } from './broker-errors';

export interface ProduceCoalescerOptions {
  /** Record bytes per merged message before another one is started; default 1 MiB. */
  readonly maxMessageBytes?: number;
  /** Called with how many client requests each merged message carried (metrics). */
  readonly onSend?: (requests: number) => void;
}

interface Part {
  readonly request: brokerV1.ProduceRequest;
  /** Its partitions' keys in request order, computed once when it arrived. */
  readonly keys: readonly string[];
  readonly timeoutMs: number;
  readonly resolve: (response: brokerV1.ProduceResponse) => void;
  readonly reject: (error: Error) => void;
}

/** One message being filled: parts in arrival order and the partitions they hold. */
interface OpenMessage {
  readonly nodeId: string;
  readonly parts: Part[];
  readonly partitions: Set<string>;
  bytes: number;
}

const DEFAULT_MAX_MESSAGE_BYTES = 1024 * 1024;

export class ProduceCoalescer {
  /** The message still open per broker/tenant/acks key. */
  private readonly open = new Map<string, OpenMessage>();
  /** Sealed messages and open ones, in the order they must be written. */
  private queue: OpenMessage[] = [];
  private flushScheduled = false;
  private readonly maxMessageBytes: number;

  constructor(
    private readonly brokers: Pick<BrokerRpc, 'produce'>,
    private readonly options: ProduceCoalescerOptions = {},
  ) {
    this.maxMessageBytes = options.maxMessageBytes ?? DEFAULT_MAX_MESSAGE_BYTES;
  }

  produce(nodeId: string, request: brokerV1.ProduceRequest, timeoutMs: number): Promise<brokerV1.ProduceResponse> {
    const keys = partitionKeys(request);
    if (request.transactionalId !== '' || keys === undefined) return this.brokers.produce(nodeId, request, timeoutMs);
    const bytes = recordBytes(request);
    const key = `${nodeId}\u0000${request.header?.tenantId?.value ?? ''}\u0000${request.acks}`;
    let message = this.open.get(key);
    if (message && (keys.some((k) => message?.partitions.has(k)) || message.bytes + bytes > this.maxMessageBytes)) {
      // Sealed: it keeps its place in the queue, so it is still written before the new one.
      this.open.delete(key);
      message = undefined;
    }
    if (!message) {
      message = { nodeId, parts: [], partitions: new Set(), bytes: 0 };
      this.open.set(key, message);
      this.queue.push(message);
    }
    for (const k of keys) message.partitions.add(k);
    message.bytes += bytes;
    const parts = message.parts;
    const promise = new Promise<brokerV1.ProduceResponse>((resolve, reject) => {
      parts.push({ request, keys, timeoutMs, resolve, reject });
    });
    this.scheduleFlush();
    return promise;
  }

  private scheduleFlush(): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    // setImmediate runs after the poll phase, so every socket read in this turn has been handled.
    setImmediate(() => this.flush());
  }

  private flush(): void {
    this.flushScheduled = false;
    const queue = this.queue;
    this.queue = [];
    this.open.clear();
    for (const message of queue) this.send(message);
  }

  private send(message: OpenMessage): void {
    const { nodeId, parts } = message;
    this.options.onSend?.(parts.length);
    const only = parts.length === 1 ? parts[0] : undefined;
    if (only) {
      this.brokers.produce(nodeId, only.request, only.timeoutMs).then(only.resolve, only.reject);
      return;
    }
    const timeoutMs = Math.max(...parts.map((p) => p.timeoutMs));
    const first = (parts[0] as Part).request;
    const merged: brokerV1.ProduceRequest = {
      header: first.header ? { ...first.header, timeoutMs: Math.max(0, Math.floor(timeoutMs)), clientId: sharedClientId(parts) } : undefined,
      acks: first.acks,
      transactionalId: '',
      partitions: parts.flatMap((p) => p.request.partitions),
    };
    const settled = parts.map((part) => settleOnce(part, nodeId, part.timeoutMs < timeoutMs));
    this.brokers.produce(nodeId, merged, timeoutMs).then(
      (response) => {
        const byKey = new Map<string, brokerV1.ProducePartitionResponse>();
        for (const answer of response.partitions) {
          const ref = answer.partition;
          if (ref?.topicId) byKey.set(partitionKey(Buffer.from(ref.topicId.value), ref.partition), answer);
        }
        parts.forEach((part, i) => {
          const partitions: brokerV1.ProducePartitionResponse[] = [];
          for (const key of part.keys) {
            const answer = byKey.get(key);
            if (answer) partitions.push(answer);
          }
          settled[i]?.resolve({ correlationId: response.correlationId, error: response.error, partitions, throttleTimeMs: response.throttleTimeMs });
        });
      },
      (error: Error) => {
        for (const s of settled) s.reject(error);
      },
    );
  }
}

/** A part's answer, given once: by the merged call, or by its own deadline if that comes first. */
function settleOnce(part: Part, nodeId: string, ownTimer: boolean): { resolve: (r: brokerV1.ProduceResponse) => void; reject: (e: Error) => void } {
  let done = false;
  const timer = ownTimer
    ? setTimeout(() => {
        done = true;
        part.reject(new BrokerUnavailableError('deadline', nodeId, `Produce got no answer within ${part.timeoutMs} ms`));
      }, Math.max(0, part.timeoutMs))
    : undefined;
  const finish = (): boolean => {
    if (done) return false;
    done = true;
    if (timer) clearTimeout(timer);
    return true;
  };
  return {
    resolve: (r) => finish() && part.resolve(r),
    reject: (e) => finish() && part.reject(e),
  };
}

/** The request's partition keys, or undefined when it names one partition twice (it is sent alone). */
function partitionKeys(request: brokerV1.ProduceRequest): string[] | undefined {
  const keys: string[] = [];
  const seen = new Set<string>();
  for (const p of request.partitions) {
    const ref = p.partition;
    if (!ref?.topicId) return undefined;
    const key = partitionKey(Buffer.from(ref.topicId.value), ref.partition);
    if (seen.has(key)) return undefined;
    seen.add(key);
    keys.push(key);
  }
  return keys;
}

function recordBytes(request: brokerV1.ProduceRequest): number {
  let n = 0;
  for (const p of request.partitions) n += p.records.byteLength;
  return n;
}

/** The parts' client id when they all share one, else empty (the broker uses it only in logs). */
function sharedClientId(parts: readonly Part[]): string {
  const id = parts[0]?.request.header?.clientId ?? '';
  return parts.every((p) => (p.request.header?.clientId ?? '') === id) ? id : '';
}
