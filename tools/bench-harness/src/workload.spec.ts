import { readdirSync } from 'node:fs';
import { DEFAULT_CATCH_UP_BYTES, loadWorkload, parseByteSize, parseWorkload, targetRecordsPerSecond, WorkloadError, WORKLOADS_DIR } from './workload';

const base = {
  name: 'x',
  topics: 1,
  partitionsPerTopic: 16,
  messageSize: 1024,
  producersPerTopic: 1,
  consumersPerTopic: 1,
  acks: 'all',
  lingerMs: 5,
  batchSize: 131072,
  mode: 'max-rate',
  durationSeconds: 60,
};

describe('workloads', () => {
  it('every shipped workload file is valid and named after its file', () => {
    const files = readdirSync(WORKLOADS_DIR).filter((f) => f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const file of files) expect(loadWorkload(file.replace(/\.json$/, '')).name).toBe(file.replace(/\.json$/, ''));
  });

  it('fixed-rate workloads turn MB/s into records/s for ProducerPerformance', () => {
    const w = loadWorkload('1x16-1kb-10mbs');
    expect(w.mode).toBe('fixed-rate');
    expect(targetRecordsPerSecond(w)).toBe(Math.round(10_000_000 / 1024));
    expect(targetRecordsPerSecond(loadWorkload('1x16-1kb-max'))).toBe(-1);
  });

  it('rejects bad fields with a message naming the field', () => {
    expect(() => parseWorkload({ ...base, partitionsPerTopic: 0 })).toThrow(/partitionsPerTopic/);
    expect(() => parseWorkload({ ...base, mode: 'fast' })).toThrow(/mode/);
    expect(() => parseWorkload({ ...base, mode: 'fixed-rate' })).toThrow(/rateMBps/);
    expect(() => parseWorkload({ ...base, acks: 2 })).toThrow(WorkloadError);
    expect(() => parseWorkload([])).toThrow(WorkloadError);
  });

  it('catch-up workloads: 1 GiB from the hot tier by default, one consumer, unthrottled fill', () => {
    const w = loadWorkload('1x16-1kb-catchup-hot');
    expect(w.mode).toBe('catch-up');
    expect(w.catchUpBytes).toBe(DEFAULT_CATCH_UP_BYTES);
    expect(w.catchUpTier).toBe('hot');
    expect(targetRecordsPerSecond(w)).toBe(-1);
    expect(parseWorkload({ ...base, mode: 'catch-up' })).toMatchObject({ catchUpBytes: 2 ** 30, catchUpTier: 'hot' });
    expect(() => parseWorkload({ ...base, mode: 'catch-up', catchUpTier: 'lukewarm' })).toThrow(/catchUpTier/);
    expect(() => parseWorkload({ ...base, mode: 'catch-up', catchUpBytes: -1 })).toThrow(/catchUpBytes/);
    expect(() => parseWorkload({ ...base, mode: 'catch-up', consumersPerTopic: 2 })).toThrow(/consumersPerTopic/);
  });

  it('the cold catch-up: 1 GiB read from tiered storage, 1 MiB segments', () => {
    const w = loadWorkload('1x16-1kb-catchup-cold');
    expect(w).toMatchObject({ mode: 'catch-up', catchUpTier: 'cold', catchUpBytes: 2 ** 30, tierSegmentBytes: 2 ** 20, consumersPerTopic: 1 });
    // The segment size is optional (the harness defaults it) and only for the cold tier.
    expect(parseWorkload({ ...base, mode: 'catch-up', catchUpTier: 'cold' }).tierSegmentBytes).toBeUndefined();
    expect(() => parseWorkload({ ...base, mode: 'catch-up', catchUpTier: 'hot', tierSegmentBytes: 2 ** 20 })).toThrow(/tierSegmentBytes.*cold/);
    expect(() => parseWorkload({ ...base, mode: 'catch-up', tierSegmentBytes: 2 ** 20 })).toThrow(/tierSegmentBytes/);
  });

  it('refuses a cold segment size below the segment.bytes floor (KIP-1030) or not an integer', () => {
    const cold = { ...base, mode: 'catch-up', catchUpTier: 'cold' };
    expect(() => parseWorkload({ ...cold, tierSegmentBytes: 65_536 })).toThrow(/tierSegmentBytes.*1048576/);
    expect(() => parseWorkload({ ...cold, tierSegmentBytes: 2 ** 20 + 0.5 })).toThrow(/tierSegmentBytes/);
    expect(() => parseWorkload({ ...cold, tierSegmentBytes: '1MiB' })).toThrow(/tierSegmentBytes/);
    expect(() => parseWorkload({ ...cold, tierSegmentBytes: 2 ** 31 })).toThrow(/tierSegmentBytes/);
    expect(parseWorkload({ ...cold, tierSegmentBytes: 4 * 2 ** 20 }).tierSegmentBytes).toBe(4 * 2 ** 20);
  });

  it('a catch-up tier on a workload that is not catch-up is an error, not ignored', () => {
    expect(() => parseWorkload({ ...base, catchUpTier: 'cold' })).toThrow(/catchUpTier.*catch-up/);
  });

  it('parses byte sizes in binary units', () => {
    expect(parseByteSize('1073741824')).toBe(2 ** 30);
    expect(parseByteSize('256MiB')).toBe(256 * 2 ** 20);
    expect(parseByteSize('256m')).toBe(256 * 2 ** 20);
    expect(parseByteSize('1GiB')).toBe(2 ** 30);
    expect(parseByteSize('64 KiB')).toBe(64 * 1024);
    expect(parseByteSize('lots')).toBeUndefined();
    expect(parseByteSize('0')).toBeUndefined();
    expect(parseByteSize('-5M')).toBeUndefined();
  });

  it('an unknown name is a WorkloadError, not a crash', () => {
    expect(() => loadWorkload('no-such-workload')).toThrow(WorkloadError);
  });
});
