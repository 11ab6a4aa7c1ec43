import { iterateRecords, validateBatch } from '@stratus/kafka-records';
import { makeBatches, makeStep, runRecordsBench } from './records-bench';

describe('records bench', () => {
  it('builds valid producer batches of about the requested size', () => {
    const batches = makeBatches({ batchBytes: 8192, recordBytes: 256, compression: 'none' });
    expect(batches).toHaveLength(16);
    for (const b of batches) {
      expect(validateBatch(b).ok).toBe(true);
      expect(b.length).toBeGreaterThan(4096);
      expect(b.length).toBeLessThanOrEqual(8192 + 61);
    }
  });

  it('reports the shared result shape, and the batches it re-offset stay valid', () => {
    const result = runRecordsBench({
      batchBytes: 4096,
      recordBytes: 128,
      compression: 'none',
      logAppendTime: true,
      minDurationMs: 5,
      warmupMs: 1,
    });
    expect(result.name).toBe('records.validate-and-assign-offsets.log-append-time');
    expect(result.unit).toBe('GB/s');
    expect(result.metrics['iterations']).toBeGreaterThan(0);
    expect(result.metrics['bytes']).toBe((result.metrics['iterations'] as number) * (result.params['batchBytes'] as number));
    expect(result.target?.atLeast).toBe(1);
    expect(result.machine.node).toBe(process.version);
  });

  it('leaves batches valid and their records intact after many steps', () => {
    const batches = makeBatches({ batchBytes: 2048, recordBytes: 64, compression: 'lz4' });
    const contents = (b: Buffer) => [...iterateRecords(b)].map((r) => [r.key?.toString(), r.value?.toString('hex')]);
    const before = batches.map(contents);
    const step = makeStep(batches, { logAppendTime: true });
    for (let i = 0; i < 100; i++) step(i);
    batches.forEach((b, i) => {
      expect(validateBatch(b, { origin: 'log' }).ok).toBe(true);
      expect(contents(b)).toEqual(before[i]);
    });
    const last = [...iterateRecords(batches[3] as Buffer)];
    expect(last[0]?.offset).toBeGreaterThan(0n);
    expect(last[0]?.timestamp).toBe(1_800_000_000_000n);
  });
});
