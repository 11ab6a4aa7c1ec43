import type { brokerV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { BrokerUnavailableError } from './broker-errors';
import { ProduceCoalescer } from './produce-coalescer';

const TOPIC = Buffer.alloc(16, 7);

interface Sent {
  readonly nodeId: string;
  readonly request: brokerV1.ProduceRequest;
  readonly timeoutMs: number;
  answer(response?: Partial<brokerV1.ProduceResponse>): void;
  fail(error: Error): void;
}

/** Records every broker message; each is answered by the test (or at once with `autoAnswer`). */
class RecordingBroker {
  readonly sent: Sent[] = [];
  autoAnswer = true;

  produce(nodeId: string, request: brokerV1.ProduceRequest, timeoutMs: number): Promise<brokerV1.ProduceResponse> {
    return new Promise((resolve, reject) => {
      const answer = (response: Partial<brokerV1.ProduceResponse> = {}): void =>
        resolve({
          correlationId: 0n,
          error: undefined,
          throttleTimeMs: 0,
          // Offsets say which message and position answered: message index * 100 + position.
          partitions: request.partitions.map((p, i) => ({
            partition: p.partition,
            error: { code: ErrorCode.NONE, message: '' },
            baseOffset: BigInt((this.sent.length - 1) * 100 + i),
            logAppendTimeMs: -1n,
            logStartOffset: 0n,
            recordErrors: [],
            currentLeader: undefined,
          })),
          ...response,
        });
      this.sent.push({ nodeId, request, timeoutMs, answer, fail: reject });
      if (this.autoAnswer) answer();
    });
  }
}

function request(partitions: number[], options: { tenant?: string; acks?: number; transactionalId?: string; bytes?: number; clientId?: string } = {}): brokerV1.ProduceRequest {
  return {
    header: { correlationId: 0n, tenantId: { value: options.tenant ?? 'tenant-1' }, apiVersion: 9, clientId: options.clientId ?? 'app', principal: 'alice', clientHost: '', clientAvailabilityZone: '', timeoutMs: 30_000 },
    acks: options.acks ?? -1,
    transactionalId: options.transactionalId ?? '',
    partitions: partitions.map((partition) => ({ partition: { topicId: { value: TOPIC }, partition }, records: Buffer.alloc(options.bytes ?? 10, partition) })),
  };
}

const partitionsOf = (r: brokerV1.ProduceRequest): number[] => r.partitions.map((p) => p.partition?.partition ?? -1);
const answered = (r: brokerV1.ProduceResponse): Array<[number, bigint]> => r.partitions.map((p) => [p.partition?.partition ?? -1, p.baseOffset]);

describe('ProduceCoalescer', () => {
  it('sends the produces for one broker that arrive in one turn as one message and splits the answer back', async () => {
    const broker = new RecordingBroker();
    const counts: number[] = [];
    const coalescer = new ProduceCoalescer(broker, { onSend: (n) => counts.push(n) });
    const [a, b, c] = await Promise.all([
      coalescer.produce('broker-1', request([0, 1]), 30_000),
      coalescer.produce('broker-1', request([2], { clientId: 'other' }), 30_000),
      coalescer.produce('broker-1', request([3]), 30_000),
    ]);
    expect(broker.sent).toHaveLength(1);
    expect(partitionsOf(broker.sent[0]?.request as brokerV1.ProduceRequest)).toEqual([0, 1, 2, 3]);
    // Different client ids: the merged header carries none rather than one client's.
    expect(broker.sent[0]?.request.header?.clientId).toBe('');
    expect(broker.sent[0]?.request.header?.tenantId?.value).toBe('tenant-1');
    expect(answered(a as brokerV1.ProduceResponse)).toEqual([[0, 0n], [1, 1n]]);
    expect(answered(b as brokerV1.ProduceResponse)).toEqual([[2, 2n]]);
    expect(answered(c as brokerV1.ProduceResponse)).toEqual([[3, 3n]]);
    expect(counts).toEqual([3]);
  });

  it('passes a lone request through unchanged', async () => {
    const broker = new RecordingBroker();
    const coalescer = new ProduceCoalescer(broker);
    const alone = request([5]);
    await coalescer.produce('broker-1', alone, 1234);
    expect(broker.sent).toHaveLength(1);
    expect(broker.sent[0]?.request).toBe(alone);
    expect(broker.sent[0]?.timeoutMs).toBe(1234);
  });

  it('never puts one partition twice in a message, and keeps each partition in arrival order', async () => {
    const broker = new RecordingBroker();
    const coalescer = new ProduceCoalescer(broker);
    await Promise.all([
      coalescer.produce('broker-1', request([0]), 30_000),
      coalescer.produce('broker-1', request([1]), 30_000),
      // Partition 0 again (an idempotent producer's next batch): a new message, written after.
      coalescer.produce('broker-1', request([0, 2]), 30_000),
      coalescer.produce('broker-1', request([1]), 30_000),
    ]);
    expect(broker.sent.map((s) => partitionsOf(s.request))).toEqual([[0, 1], [0, 2, 1]]);
  });

  it('sends a request naming one partition twice alone, and its answers with it', async () => {
    const broker = new RecordingBroker();
    const coalescer = new ProduceCoalescer(broker);
    const [, twice] = await Promise.all([coalescer.produce('broker-1', request([1]), 30_000), coalescer.produce('broker-1', request([0, 0]), 30_000)]);
    expect(broker.sent.map((s) => partitionsOf(s.request)).sort()).toEqual([[0, 0], [1]]);
    expect(twice?.partitions).toHaveLength(2);
  });

  it('keeps brokers, tenants and acks apart, and sends transactional produces alone at once', async () => {
    const broker = new RecordingBroker();
    const coalescer = new ProduceCoalescer(broker);
    const all = Promise.all([
      coalescer.produce('broker-1', request([0]), 30_000),
      coalescer.produce('broker-2', request([1]), 30_000),
      coalescer.produce('broker-1', request([2], { tenant: 'tenant-2' }), 30_000),
      coalescer.produce('broker-1', request([3], { acks: 1 }), 30_000),
      coalescer.produce('broker-1', request([4], { transactionalId: 'tenant-1/tx' }), 30_000),
      coalescer.produce('broker-1', request([5]), 30_000),
    ]);
    // The transactional one did not wait for the turn to end.
    expect(broker.sent.map((s) => partitionsOf(s.request))).toEqual([[4]]);
    await all;
    expect(broker.sent.map((s) => `${s.nodeId} ${s.request.header?.tenantId?.value} ${s.request.acks} ${partitionsOf(s.request).join(',')}`)).toEqual([
      'broker-1 tenant-1 -1 4',
      'broker-1 tenant-1 -1 0,5',
      'broker-2 tenant-1 -1 1',
      'broker-1 tenant-2 -1 2',
      'broker-1 tenant-1 1 3',
    ]);
  });

  it('starts another message when the records would exceed maxMessageBytes', async () => {
    const broker = new RecordingBroker();
    const coalescer = new ProduceCoalescer(broker, { maxMessageBytes: 250 });
    await Promise.all([0, 1, 2, 3, 4].map((p) => coalescer.produce('broker-1', request([p], { bytes: 100 }), 30_000)));
    expect(broker.sent.map((s) => partitionsOf(s.request))).toEqual([[0, 1], [2, 3], [4]]);
  });

  it('gives every part a whole-request error and the broker throttle time', async () => {
    const broker = new RecordingBroker();
    broker.autoAnswer = false;
    const coalescer = new ProduceCoalescer(broker);
    const parts = Promise.all([coalescer.produce('broker-1', request([0]), 30_000), coalescer.produce('broker-1', request([1]), 30_000)]);
    await new Promise((resolve) => setImmediate(resolve));
    broker.sent[0]?.answer({ error: { code: ErrorCode.REQUEST_TIMED_OUT, message: 'slow' }, partitions: [], throttleTimeMs: 250 });
    for (const r of await parts) {
      expect(r.error?.code).toBe(ErrorCode.REQUEST_TIMED_OUT);
      expect(r.partitions).toEqual([]);
      expect(r.throttleTimeMs).toBe(250);
    }
  });

  it('fails every part when the broker call fails', async () => {
    const broker = new RecordingBroker();
    broker.autoAnswer = false;
    const coalescer = new ProduceCoalescer(broker);
    const parts = [coalescer.produce('broker-1', request([0]), 30_000), coalescer.produce('broker-1', request([1]), 30_000)];
    await new Promise((resolve) => setImmediate(resolve));
    broker.sent[0]?.fail(new BrokerUnavailableError('stream-failed', 'broker-1', 'reset'));
    for (const p of parts) await expect(p).rejects.toMatchObject({ kind: 'stream-failed' });
  });

  it('sends the longest timeout and answers a part with a shorter one at its own deadline', async () => {
    const broker = new RecordingBroker();
    broker.autoAnswer = false;
    const coalescer = new ProduceCoalescer(broker);
    const short = coalescer.produce('broker-1', request([0]), 20);
    const long = coalescer.produce('broker-1', request([1]), 60_000);
    await expect(short).rejects.toMatchObject({ kind: 'deadline', kafkaCode: ErrorCode.REQUEST_TIMED_OUT });
    expect(broker.sent[0]?.timeoutMs).toBe(60_000);
    expect(broker.sent[0]?.request.header?.timeoutMs).toBe(60_000);
    // The broker's late answer still reaches the part that is waiting.
    broker.sent[0]?.answer();
    expect(answered(await long)).toEqual([[1, 1n]]);
  });
});
