import { ErrorCode } from '@stratus/kafka-errors';
import { batchLayout, buildBatch, codecsLoaded, Compression, loadCodecs, readRecords, writeBatchCrc } from './index';

// Runs in its own module registry (Jest isolates test files), so zstd starts out not loaded here.

/** A batch whose attributes claim zstd over a payload that is not zstd. */
function fakeZstdBatch(): Buffer {
  const batch = buildBatch({ records: [{ value: 'v' }] });
  batch.writeUInt16BE(Compression.zstd, batchLayout.ATTRIBUTES_OFFSET);
  writeBatchCrc(batch);
  return batch;
}

describe('codec loading', () => {
  it('reports zstd as not loaded before loadCodecs(), as a typed error', () => {
    expect(codecsLoaded()).toBe(false);
    const result = readRecords(fakeZstdBatch());
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.kind).toBe('codec_not_loaded');
      expect(result.error.code).toBe(ErrorCode.UNKNOWN_SERVER_ERROR);
    }
    expect(() => buildBatch({ records: [{ value: 'v' }], compression: 'zstd' })).toThrow(/loadCodecs/);
  });

  it('loads once for concurrent callers, then decodes zstd', async () => {
    const first = loadCodecs();
    expect(loadCodecs()).toBe(first);
    await first;
    expect(codecsLoaded()).toBe(true);
    const garbage = readRecords(fakeZstdBatch());
    expect(!garbage.ok && garbage.error.kind).toBe('decompression_failed');
    const real = readRecords(buildBatch({ records: [{ value: 'zstd works' }], compression: 'zstd' }));
    expect(real.ok && real.value[0]?.value?.toString()).toBe('zstd works');
  });
});
