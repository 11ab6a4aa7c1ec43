import { parseEndToEnd, parseProducerLine } from './perf-output';

describe('parseProducerLine', () => {
  it('reads a periodic window line', () => {
    const parsed = parseProducerLine('48785 records sent, 9757.0 records/sec (9.53 MB/sec), 1230.4 ms avg latency, 2110.0 ms max latency.');
    expect(parsed?.window).toEqual({ records: 48785, recordsPerSec: 9757, mbPerSec: 9.53, avgLatencyMs: 1230.4, maxLatencyMs: 2110 });
    expect(parsed?.summary).toBeUndefined();
  });

  it('reads the final line with percentiles', () => {
    const parsed = parseProducerLine(
      '200000 records sent, 13287.290000 records/sec (12.98 MB/sec), 1496.18 ms avg latency, 2554.00 ms max latency, 1477 ms 50th, 2299 ms 95th, 2485 ms 99th, 2551 ms 99.9th.',
    );
    expect(parsed?.summary).toMatchObject({ records: 200000, mbPerSec: 12.98, p50Ms: 1477, p95Ms: 2299, p99Ms: 2485, p999Ms: 2551, maxLatencyMs: 2554 });
  });

  it('ignores log lines', () => {
    expect(parseProducerLine('[2026-11-29 19:00:00,000] WARN something records sent')).toBeUndefined();
  });
});

describe('parseEndToEnd', () => {
  it('reads average and percentiles', () => {
    expect(parseEndToEnd('Avg latency: 3.1234 ms\nPercentiles: 50th = 2, 99th = 9, 99.9th = 15\n')).toEqual({ avgMs: 3.1234, p50Ms: 2, p99Ms: 9, p999Ms: 15 });
  });
  it('is undefined for incomplete output', () => {
    expect(parseEndToEnd('Exception in thread "main"')).toBeUndefined();
  });
});
