import { buildBatch, buildEndTxnMarker, parseControlRecord, readRecords, validateBatch, type KafkaRecord } from './index';

describe('control records', () => {
  it.each([true, false])('builds and parses an end-transaction marker (commit: %s)', (commit) => {
    const batch = buildEndTxnMarker({ producerId: 77n, producerEpoch: 4, commit, coordinatorEpoch: 12, timestamp: 9000n });
    const checked = validateBatch(batch, { origin: 'log' });
    if (!checked.ok) throw new Error(checked.error.message);
    expect(checked.value).toMatchObject({ isControl: true, isTransactional: true, producerId: 77n, producerEpoch: 4, baseSequence: -1 });
    // Producers may never send these (Kafka rejects control batches from clients).
    expect(validateBatch(batch).ok).toBe(false);
    const records = readRecords(batch);
    if (!records.ok) throw new Error(records.error.message);
    expect(records.value).toHaveLength(1);
    expect(records.value[0]?.key?.toString('hex')).toBe(commit ? '00000001' : '00000000');
    expect(parseControlRecord(records.value[0] as KafkaRecord)).toEqual({
      ok: true,
      value: { type: commit ? 'commit' : 'abort', coordinatorEpoch: 12 },
    });
  });

  it('names KRaft control types and reports unknown ones', () => {
    const key = (t: number) => Buffer.from([0, 0, 0, t]);
    expect(parseControlRecord({ key: key(2), value: null })).toEqual({ ok: true, value: { type: 'leaderChange' } });
    expect(parseControlRecord({ key: key(99), value: null })).toEqual({ ok: true, value: { type: 'unknown', typeId: 99 } });
  });

  it('reports malformed control records as typed errors', () => {
    expect(parseControlRecord({ key: Buffer.from([0]), value: null }).ok).toBe(false);
    expect(parseControlRecord({ key: null, value: null }).ok).toBe(false);
    const shortValue = parseControlRecord({ key: Buffer.from([0, 0, 0, 1]), value: Buffer.from([0, 0]) });
    expect(!shortValue.ok && shortValue.error.kind).toBe('corrupt_record');
    // a data batch's record is not a control record
    const data = readRecords(buildBatch({ records: [{ key: 'k', value: 'v' }] }));
    if (!data.ok) throw new Error('decode');
    expect(parseControlRecord(data.value[0] as KafkaRecord).ok).toBe(false);
  });
});
