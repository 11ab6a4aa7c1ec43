// Test double of the compute layer: brokers over shared in-memory partition logs, answering the
// stratus.broker.v1 messages. Leadership has its own truth here (`lead`), separate from the
// router's ClusterView, so tests can make the view stale and watch the router catch up. Used in
// memory by unit tests (InMemoryBrokers) and behind a real grpc-js server by integration tests.
import { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { assignOffsets, peekBatchHeader, splitBatches } from '@stratus/kafka-records';
import { BrokerUnavailableError } from '../connections/broker-errors';
import type { BrokerRpc } from '../connections/broker-connections';

interface StoredBatch {
  readonly baseOffset: bigint;
  readonly lastOffset: bigint;
  readonly bytes: Buffer;
}

interface PartitionLog {
  readonly batches: StoredBatch[];
  logEnd: bigint;
  logStart: bigint;
}

const keyOf = (ref: { topicId?: { value: Buffer } | undefined; partition: number } | undefined): string =>
  `${ref?.topicId ? Buffer.from(ref.topicId.value).toString('hex') : '?'}:${ref?.partition ?? -1}`;

export class FakeBrokerCluster {
  private readonly logs = new Map<string, PartitionLog>();
  private readonly leaders = new Map<string, string>();
  private readonly waiters = new Set<() => void>();
  private nextProducerId = 1000n;
  private closed = false;
  /** Every request each broker received, in order (tests assert splitting). */
  readonly received: Array<{ nodeId: string; rpc: string; request: unknown }> = [];

  /** Ends every long poll at once (test teardown). */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** Makes `nodeId` the real leader of the partition (whatever the router's view says). */
  lead(topicId: Buffer, partition: number, nodeId: string): void {
    this.leaders.set(`${topicId.toString('hex')}:${partition}`, nodeId);
  }

  leadAll(topicId: Buffer, partitions: number, nodeId: (partition: number) => string): void {
    for (let p = 0; p < partitions; p++) this.lead(topicId, p, nodeId(p));
  }

  /** The batches stored for a partition (tests read back what was produced). */
  batches(topicId: Buffer, partition: number): Buffer[] {
    return (this.logs.get(`${topicId.toString('hex')}:${partition}`)?.batches ?? []).map((b) => b.bytes);
  }

  produce(nodeId: string, request: brokerV1.ProduceRequest): brokerV1.ProduceResponse {
    this.received.push({ nodeId, rpc: 'produce', request });
    const partitions = request.partitions.map((p) => {
      const key = keyOf(p.partition);
      const base = { partition: p.partition, logAppendTimeMs: -1n, recordErrors: [] };
      if (this.leaders.get(key) !== nodeId) return { ...base, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: '' }, baseOffset: -1n, logStartOffset: -1n };
      const split = splitBatches(Buffer.from(p.records));
      if (!split.ok || split.value.partial || split.value.batches.length === 0) {
        return { ...base, error: { code: ErrorCode.CORRUPT_MESSAGE, message: 'bad batches' }, baseOffset: -1n, logStartOffset: -1n };
      }
      const log = this.log(key);
      const first = log.logEnd;
      for (const view of split.value.batches) {
        const bytes = Buffer.from(view);
        const assigned = assignOffsets(bytes, { baseOffset: log.logEnd });
        log.batches.push({ baseOffset: assigned.baseOffset, lastOffset: assigned.lastOffset, bytes });
        log.logEnd = assigned.lastOffset + 1n;
      }
      return { ...base, error: undefined, baseOffset: first, logStartOffset: log.logStart };
    });
    this.wake();
    return brokerV1.ProduceResponse.fromPartial({ correlationId: request.header?.correlationId ?? 0n, partitions });
  }

  async fetch(nodeId: string, request: brokerV1.FetchRequest): Promise<brokerV1.FetchResponse> {
    this.received.push({ nodeId, rpc: 'fetch', request });
    const deadline = Date.now() + request.maxWaitMs;
    for (;;) {
      const answer = this.readNow(nodeId, request);
      const bytes = answer.partitions.reduce((n, p) => n + p.records.length, 0);
      const anyError = answer.partitions.some((p) => p.error !== undefined);
      if (bytes >= request.minBytes || anyError || Date.now() >= deadline || this.closed) return answer;
      await this.waitForAppend(deadline - Date.now());
    }
  }

  listOffsets(nodeId: string, request: brokerV1.ListOffsetsRequest): brokerV1.ListOffsetsResponse {
    this.received.push({ nodeId, rpc: 'listOffsets', request });
    return brokerV1.ListOffsetsResponse.fromPartial({
      partitions: request.partitions.map((p) => {
        const key = keyOf(p.partition);
        if (this.leaders.get(key) !== nodeId) return { partition: p.partition, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, offset: -1n, timestamp: -1n };
        const log = this.log(key);
        const offset = p.timestamp === -2n ? log.logStart : log.logEnd;
        return { partition: p.partition, offset, timestamp: -1n, leaderEpoch: 0 };
      }),
    });
  }

  offsetForLeaderEpoch(nodeId: string, request: brokerV1.OffsetForLeaderEpochRequest): brokerV1.OffsetForLeaderEpochResponse {
    this.received.push({ nodeId, rpc: 'offsetForLeaderEpoch', request });
    return brokerV1.OffsetForLeaderEpochResponse.fromPartial({
      partitions: request.partitions.map((p) => {
        const key = keyOf(p.partition);
        if (this.leaders.get(key) !== nodeId) return { partition: p.partition, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, leaderEpoch: -1, endOffset: -1n };
        return { partition: p.partition, leaderEpoch: 0, endOffset: this.log(key).logEnd };
      }),
    });
  }

  deleteRecords(nodeId: string, request: brokerV1.DeleteRecordsRequest): brokerV1.DeleteRecordsResponse {
    this.received.push({ nodeId, rpc: 'deleteRecords', request });
    return brokerV1.DeleteRecordsResponse.fromPartial({
      partitions: request.partitions.map((p) => {
        const key = keyOf(p.partition);
        if (this.leaders.get(key) !== nodeId) return { partition: p.partition, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, lowWatermark: -1n };
        const log = this.log(key);
        const target = p.offset === -1n ? log.logEnd : p.offset;
        if (target > log.logEnd) return { partition: p.partition, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE }, lowWatermark: -1n };
        if (target > log.logStart) log.logStart = target;
        return { partition: p.partition, lowWatermark: log.logStart };
      }),
    });
  }

  /** The producers of each led partition, from the headers of its stored batches (last batch wins). */
  describeProducers(nodeId: string, request: brokerV1.DescribeProducersRequest): brokerV1.DescribeProducersResponse {
    this.received.push({ nodeId, rpc: 'describeProducers', request });
    return brokerV1.DescribeProducersResponse.fromPartial({
      partitions: request.partitions.map((ref) => {
        const key = keyOf(ref);
        if (this.leaders.get(key) !== nodeId) return { partition: ref, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER } };
        const producers = new Map<bigint, brokerV1.ProducerState>();
        for (const batch of this.log(key).batches) {
          const header = peekBatchHeader(batch.bytes);
          if (!header.ok || header.value.producerId < 0n) continue;
          const h = header.value;
          producers.set(h.producerId, { producerId: h.producerId, producerEpoch: h.producerEpoch, lastSequence: h.baseSequence + h.lastOffsetDelta, lastTimestamp: h.maxTimestamp, coordinatorEpoch: -1, currentTxnStartOffset: -1n });
        }
        return { partition: ref, activeProducers: [...producers.values()] };
      }),
    });
  }

  initProducerId(nodeId: string, request: brokerV1.InitProducerIdRequest): brokerV1.InitProducerIdResponse {
    this.received.push({ nodeId, rpc: 'initProducerId', request });
    return brokerV1.InitProducerIdResponse.fromPartial({ producerId: this.nextProducerId++, producerEpoch: 0 });
  }

  private readNow(nodeId: string, request: brokerV1.FetchRequest): brokerV1.FetchResponse {
    const partitions = request.partitions.map((p) => {
      const key = keyOf(p.partition);
      if (this.leaders.get(key) !== nodeId) {
        return { partition: p.partition, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER }, highWatermark: -1n, lastStableOffset: -1n, logStartOffset: -1n, preferredReadReplica: -1 };
      }
      const log = this.log(key);
      const watermarks = { highWatermark: log.logEnd, lastStableOffset: log.logEnd, logStartOffset: log.logStart, preferredReadReplica: -1 };
      if (p.fetchOffset < log.logStart || p.fetchOffset > log.logEnd) return { partition: p.partition, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE }, ...watermarks };
      const chosen: Buffer[] = [];
      let size = 0;
      for (const batch of log.batches) {
        if (batch.lastOffset < p.fetchOffset) continue;
        // At least one batch even above the limit, so a consumer always progresses (KIP-74).
        if (chosen.length > 0 && size + batch.bytes.length > p.partitionMaxBytes) break;
        chosen.push(batch.bytes);
        size += batch.bytes.length;
      }
      return { partition: p.partition, records: Buffer.concat(chosen), ...watermarks };
    });
    return brokerV1.FetchResponse.fromPartial({ correlationId: request.header?.correlationId ?? 0n, partitions });
  }

  private log(key: string): PartitionLog {
    let log = this.logs.get(key);
    if (!log) {
      log = { batches: [], logEnd: 0n, logStart: 0n };
      this.logs.set(key, log);
    }
    return log;
  }

  private waitForAppend(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.waiters.add(done);
    });
  }

  private wake(): void {
    for (const waiter of [...this.waiters]) waiter();
  }
}

/**
 * BrokerRpc straight onto a FakeBrokerCluster (no gRPC): `failNext` makes the next calls to a
 * broker fail like a broken stream; `known` limits which node ids exist at all.
 */
export class InMemoryBrokers implements BrokerRpc {
  private readonly failures = new Map<string, number>();
  private readonly fetchDelays = new Map<string, number>();

  constructor(readonly cluster: FakeBrokerCluster) {}

  /** The next `count` calls to `nodeId` fail with a stream failure. */
  failNext(nodeId: string, count = 1): void {
    this.failures.set(nodeId, (this.failures.get(nodeId) ?? 0) + count);
  }

  /**
   * Fetches from `nodeId` answer `ms` late, like a loaded broker; a call whose timeout is shorter
   * fails at its timeout as BrokerConnections does ('deadline'). 0 restores prompt answers.
   */
  slowFetches(nodeId: string, ms: number): void {
    this.fetchDelays.set(nodeId, ms);
  }

  async produce(nodeId: string, request: brokerV1.ProduceRequest): Promise<brokerV1.ProduceResponse> {
    this.maybeFail(nodeId);
    return this.cluster.produce(nodeId, request);
  }

  async fetch(nodeId: string, request: brokerV1.FetchRequest, timeoutMs: number): Promise<brokerV1.FetchResponse> {
    this.maybeFail(nodeId);
    const delayMs = this.fetchDelays.get(nodeId) ?? 0;
    if (delayMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(delayMs, timeoutMs)));
      if (delayMs > timeoutMs) throw new BrokerUnavailableError('deadline', nodeId, `no Fetch answer within ${timeoutMs} ms`);
    }
    return this.cluster.fetch(nodeId, request);
  }

  async listOffsets(nodeId: string, request: brokerV1.ListOffsetsRequest): Promise<brokerV1.ListOffsetsResponse> {
    this.maybeFail(nodeId);
    return this.cluster.listOffsets(nodeId, request);
  }

  async offsetForLeaderEpoch(nodeId: string, request: brokerV1.OffsetForLeaderEpochRequest): Promise<brokerV1.OffsetForLeaderEpochResponse> {
    this.maybeFail(nodeId);
    return this.cluster.offsetForLeaderEpoch(nodeId, request);
  }

  async deleteRecords(nodeId: string, request: brokerV1.DeleteRecordsRequest): Promise<brokerV1.DeleteRecordsResponse> {
    this.maybeFail(nodeId);
    return this.cluster.deleteRecords(nodeId, request);
  }

  async initProducerId(nodeId: string, request: brokerV1.InitProducerIdRequest): Promise<brokerV1.InitProducerIdResponse> {
    this.maybeFail(nodeId);
    return this.cluster.initProducerId(nodeId, request);
  }

  async describeProducers(nodeId: string, request: brokerV1.DescribeProducersRequest): Promise<brokerV1.DescribeProducersResponse> {
    this.maybeFail(nodeId);
    return this.cluster.describeProducers(nodeId, request);
  }

  private maybeFail(nodeId: string): void {
    const left = this.failures.get(nodeId) ?? 0;
    if (left <= 0) return;
    this.failures.set(nodeId, left - 1);
    throw new BrokerUnavailableError('stream-failed', nodeId, 'injected stream failure');
  }
}
