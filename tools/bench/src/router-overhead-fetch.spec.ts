import { buildBatch } from '@stratus/kafka-records';
import type { brokerV1 } from '@stratus/contracts';
import { directReader, driveReads, nextOffsetAfter, routerReader, type ReadResult } from './router-overhead-fetch';

function batchAt(baseOffset: bigint, count: number): Buffer {
  return buildBatch({ baseOffset, records: Array.from({ length: count }, (_, i) => ({ value: Buffer.from(`v${i}`) })), baseTimestamp: 1n });
}

describe('nextOffsetAfter', () => {
  it('is the offset after the last whole batch', () => {
    const records = Buffer.concat([batchAt(10n, 3), batchAt(13n, 5)]);
    expect(nextOffsetAfter(records, 10n)).toBe(18n);
  });

  it('ignores a trailing partial batch (fetch responses may end in one)', () => {
    const whole = batchAt(0n, 2);
    const partial = batchAt(2n, 4).subarray(0, 30);
    expect(nextOffsetAfter(Buffer.concat([whole, partial]), 0n)).toBe(2n);
  });

  it('stays at the fetch offset when nothing came back', () => {
    expect(nextOffsetAfter(Buffer.alloc(0), 7n)).toBe(7n);
    expect(nextOffsetAfter(null, 7n)).toBe(7n);
  });
});

describe('driveReads', () => {
  it('reads each lane\'s partition to the high watermark and wraps to 0, counting failed reads', async () => {
    const seen: Array<[number, bigint]> = [];
    let calls = 0;
    const result = await driveReads(
      async (partition, offset): Promise<ReadResult | undefined> => {
        seen.push([partition, offset]);
        calls += 1;
        if (calls === 5) return undefined;
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { bytes: 1000, next: offset + 10n, highWatermark: 20n };
      },
      { partitions: 2, lanes: 2, seconds: 0.2 },
    );
    expect(result.errors).toBe(1);
    expect(result.mbps).toBeGreaterThan(0);
    expect(new Set(seen.map(([p]) => p))).toEqual(new Set([0, 1]));
    // Offsets go 0, 10, then wrap (20 is the high watermark), never past it.
    expect(seen.every(([, o]) => o === 0n || o === 10n)).toBe(true);
    expect(seen.filter(([, o]) => o === 10n).length).toBeGreaterThan(0);
  });

  it('gives a read\'s mean time from the lanes, the elapsed time and the reads made', async () => {
    const result = await driveReads(
      async (_partition, offset): Promise<ReadResult> => {
        await new Promise((resolve) => setTimeout(resolve, 25));
        return { bytes: 1, next: offset + 1n, highWatermark: 100n };
      },
      { partitions: 1, lanes: 3, seconds: 0.3 },
    );
    // Every read took its 25 ms timer (libuv may round a timer down by under 1 ms), so no lane
    // fits more reads into the run than that allows; a count that ignored lanes would give ~8 ms.
    expect(result.meanMs).toBeGreaterThanOrEqual(24);
  });
});

const TOPIC_ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');

describe('directReader (the brokers alone)', () => {
  function reader(answer: (request: brokerV1.FetchRequest) => Promise<brokerV1.FetchResponse>) {
    const errors: string[] = [];
    const sent: Array<[string, brokerV1.FetchRequest]> = [];
    const read = directReader({
      rpc: { fetch: (node, request) => (sent.push([node, request]), answer(request)) },
      leaderOf: (p) => (p === 3 ? 'broker-b' : undefined),
      topicId: TOPIC_ID,
      tenantId: 't-1',
      principal: 'alice',
      maxBytes: 4096,
      timeoutMs: 1000,
      clientZone: 'zone-b',
      countError: (what) => errors.push(what),
    });
    return { read, errors, sent };
  }
  const answerWith = (partition: Partial<brokerV1.FetchPartitionResponse>) => async () => ({ partitions: [{ records: Buffer.alloc(0), highWatermark: 0n, ...partition }] }) as unknown as brokerV1.FetchResponse;

  it('asks the partition leader for one partition at the offset and reports bytes, next offset and HW', async () => {
    const records = Buffer.concat([batchAt(10n, 3), batchAt(13n, 2)]);
    const { read, sent, errors } = reader(answerWith({ records, highWatermark: 40n }));
    expect(await read(3, 10n, 0)).toEqual({ bytes: records.length, next: 15n, highWatermark: 40n });
    expect(sent).toHaveLength(1);
    const [node, request] = sent[0] as [string, brokerV1.FetchRequest];
    expect(node).toBe('broker-b');
    expect(request).toMatchObject({ header: { tenantId: { value: 't-1' }, apiVersion: 12, principal: 'alice', clientAvailabilityZone: 'zone-b' }, maxWaitMs: 0, maxBytes: 4096 });
    expect(request.partitions).toEqual([expect.objectContaining({ partition: { topicId: { value: TOPIC_ID }, partition: 3 }, fetchOffset: 10n, partitionMaxBytes: 4096 })]);
    expect(errors).toEqual([]);
  });

  it('fails without a call when the partition has no leader, and counts Kafka errors and transport faults', async () => {
    const none = reader(answerWith({}));
    expect(await none.read(1, 0n, 0)).toBeUndefined();
    expect(none.sent).toEqual([]);
    const refused = reader(answerWith({ error: { code: 6, message: 'not leader' } }));
    expect(await refused.read(3, 0n, 0)).toBeUndefined();
    expect(refused.errors).toEqual(['direct fetch: Kafka error 6']);
    const down = reader(() => Promise.reject(new Error('stream closed')));
    expect(await down.read(3, 0n, 0)).toBeUndefined();
    expect(down.errors).toEqual(['direct fetch: stream closed']);
  });
});

describe('routerReader (through the routers)', () => {
  function reader(answer: (body: unknown) => Promise<unknown>) {
    const errors: string[] = [];
    const calls: Array<{ lane: number; apiKey: number; apiVersion: number; body: unknown }> = [];
    const lane = (i: number) => ({
      call: async <T>(apiKey: number, apiVersion: number, body: unknown) => {
        calls.push({ lane: i, apiKey, apiVersion, body });
        return { correlationId: 1, body: (await answer(body)) as T };
      },
    });
    const read = routerReader({ lanes: [lane(0), lane(1)], topic: 'bench-topic', maxBytes: 4096, timeoutMs: 1000, clientZone: 'zone-b', countError: (what) => errors.push(what) });
    return { read, errors, calls };
  }
  const answerWith = (partition: Record<string, unknown>) => async () => ({ responses: [{ partitions: [{ errorCode: 0, highWatermark: 0n, records: null, ...partition }] }] });

  it('sends Fetch v12 for one partition on the lane\'s own connection', async () => {
    const records = batchAt(0n, 4);
    const { read, calls, errors } = reader(answerWith({ records, highWatermark: 9n }));
    expect(await read(2, 0n, 1)).toEqual({ bytes: records.length, next: 4n, highWatermark: 9n });
    expect(calls).toEqual([
      expect.objectContaining({
        lane: 1,
        apiKey: 1,
        apiVersion: 12,
        body: expect.objectContaining({ maxWaitMs: 0, maxBytes: 4096, rackId: 'zone-b', topics: [{ topic: 'bench-topic', partitions: [expect.objectContaining({ partition: 2, fetchOffset: 0n, partitionMaxBytes: 4096 })] }] }),
      }),
    ]);
    expect(errors).toEqual([]);
  });

  it('counts Kafka errors, transport faults and a lane without a connection', async () => {
    const refused = reader(answerWith({ errorCode: 3 }));
    expect(await refused.read(0, 0n, 0)).toBeUndefined();
    expect(refused.errors).toEqual(['router fetch: Kafka error 3']);
    const down = reader(() => Promise.reject(new Error('socket closed')));
    expect(await down.read(0, 0n, 0)).toBeUndefined();
    expect(await down.read(0, 0n, 5)).toBeUndefined();
    expect(down.errors).toEqual(['router fetch: socket closed', 'router fetch: no connection for lane 5']);
  });
});
