import { ErrorCode } from '@stratus/kafka-errors';
import { batchLayout, buildBatch, splitBatches, validateBatch } from './index';

const batch = (n: number) => buildBatch({ records: Array.from({ length: n }, (_, i) => ({ value: `v${i}` })) });

describe('splitBatches', () => {
  const a = batch(1);
  const b = batch(3);
  const c = batch(2);
  const set = Buffer.concat([a, b, c]);

  it('cuts a message set into zero-copy views of each batch', () => {
    const result = splitBatches(set);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.partial).toBeUndefined();
    expect(result.value.batches.map((x) => x.length)).toEqual([a.length, b.length, c.length]);
    expect(result.value.batches[1]?.buffer).toBe(set.buffer);
    expect(result.value.batches.every((x) => validateBatch(x).ok)).toBe(true);
  });

  it('reports a trailing partial batch (fetch responses may end in one)', () => {
    const cut = set.subarray(0, a.length + b.length + 20);
    const result = splitBatches(cut);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.batches).toHaveLength(2);
    expect(result.value.partial).toEqual({ offset: a.length + b.length, availableBytes: 20, declaredSize: c.length });
    const tiny = splitBatches(set.subarray(0, a.length + 5));
    if (!tiny.ok) throw new Error(tiny.error.message);
    expect(tiny.value.partial).toEqual({ offset: a.length, availableBytes: 5, declaredSize: undefined });
  });

  it('handles an empty message set', () => {
    const result = splitBatches(Buffer.alloc(0));
    expect(result.ok && result.value.batches.length === 0 && result.value.partial === undefined).toBe(true);
  });

  it('fails on a batchLength below the header size', () => {
    const bad = Buffer.from(set);
    bad.writeInt32BE(10, a.length + batchLayout.BATCH_LENGTH_OFFSET);
    const result = splitBatches(bad);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(ErrorCode.CORRUPT_MESSAGE);
  });
});
