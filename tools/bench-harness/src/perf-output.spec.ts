import { parseConsumerLine, parseConsumerOutput, parseEndToEnd, parseProducerLine } from './perf-output';

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

describe('ConsumerPerformance output', () => {
  // Shape of kafka-tools 4.x's final line: MiB, MiB/s, records, records/s, rebalance ms, fetch ms, fetch MiB/s, fetch records/s.
  const header = 'start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec';
  const line = '2026-11-29 21:00:00:000, 2026-11-29 21:00:20:000, 195.3125, 9.7656, 200000, 10000.0000, 4000, 16000, 12.2070, 12500.0000';

  it('reads the summary line, converting MiB to bytes and decimal MB/s like ProducerPerformance', () => {
    const s = parseConsumerLine(line);
    expect(s).toEqual({
      records: 200000,
      bytes: 204_800_000,
      elapsedMs: 20_000,
      rebalanceMs: 4000,
      fetchMs: 16_000,
      recordsPerSec: 10_000,
      mbPerSec: 10.24,
      fetchRecordsPerSec: 12_500,
      fetchMbPerSec: 12.8,
    });
  });

  it('ignores the header, warnings and log lines', () => {
    expect(parseConsumerLine(header)).toBeUndefined();
    expect(parseConsumerLine('[2026-11-29 21:00:00,000] WARN [Consumer clientId=x] something')).toBeUndefined();
  });

  it('finds the summary in the whole output and notices an early stop on the idle timeout', () => {
    const ok = parseConsumerOutput(`${header}\n${line}\n`);
    expect(ok.summary?.records).toBe(200000);
    expect(ok.timedOut).toBe(false);
    const early = parseConsumerOutput(
      `${header}\nWARNING: Exiting before consuming the expected number of messages: timeout (60000 ms) exceeded. You can use the --timeout option to increase the timeout.\n${line}\n`,
    );
    expect(early.timedOut).toBe(true);
    expect(early.summary?.fetchMs).toBe(16_000);
    expect(parseConsumerOutput(`WARNING: Exiting before consuming the expected number of records: timeout (60000 ms) exceeded.\n${line}`).timedOut).toBe(true);
    expect(parseConsumerOutput('Exception in thread "main" org.apache.kafka.common.errors.SaslAuthenticationException')).toEqual({ timedOut: false });
  });

  it('reports zero rates rather than dividing by zero when nothing was fetched', () => {
    const s = parseConsumerLine('2026-11-29 21:00:00:000, 2026-11-29 21:00:00:000, 0.0000, 0.0000, 0, 0.0000, 0, 0, 0.0000, 0.0000');
    expect(s?.mbPerSec).toBe(0);
    expect(s?.fetchRecordsPerSec).toBe(0);
  });
});
