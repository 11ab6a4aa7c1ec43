import { combineConsumers, consumerArgs } from './consumer';
import type { ConsumerSummary } from './perf-output';

const summary = (records: number, elapsedMs: number, rebalanceMs: number): ConsumerSummary => ({
  records,
  bytes: records * 1000,
  elapsedMs,
  rebalanceMs,
  fetchMs: elapsedMs - rebalanceMs,
  recordsPerSec: (records * 1000) / elapsedMs,
  mbPerSec: records / elapsedMs,
  fetchRecordsPerSec: (records * 1000) / (elapsedMs - rebalanceMs),
  fetchMbPerSec: records / (elapsedMs - rebalanceMs),
});

describe('combineConsumers', () => {
  it('one consumer: its own figures', () => {
    const c = combineConsumers([summary(10_000, 10_000, 2000)], { expectedRecords: 10_000 });
    expect(c).toMatchObject({ consumers: 1, records: 10_000, bytes: 10_000_000, complete: true, elapsedSeconds: 10, recordsPerSec: 1000, mbPerSec: 1, fetchRecordsPerSec: 1250, fetchMbPerSec: 1.25, rebalanceMs: 2000 });
  });

  it('a group: all records over the longest consumer time, the longest join', () => {
    const c = combineConsumers([summary(6000, 10_000, 1000), summary(4000, 5000, 3000)], { expectedRecords: 10_000 });
    expect(c?.records).toBe(10_000);
    expect(c?.recordsPerSec).toBe(1000);
    // Longest fetch time is 9000 ms (the first consumer).
    expect(c?.fetchRecordsPerSec).toBeCloseTo(10_000 / 9, 6);
    expect(c?.rebalanceMs).toBe(3000);
  });

  it('marks a short read incomplete and has no figures without summaries', () => {
    expect(combineConsumers([summary(9_000, 10_000, 0)], { expectedRecords: 10_000 })?.complete).toBe(false);
    expect(combineConsumers([], { expectedRecords: 1 })).toBeUndefined();
  });
});

describe('consumerArgs', () => {
  it('runs ConsumerPerformance in a named group with the record count and idle timeout', () => {
    const args = consumerArgs({ classpath: '/c/*', propertiesFile: '/p', bootstrap: 'h:1', topic: 't', group: 'g', numRecords: 42, idleTimeoutMs: 60_000 });
    expect(args).toContain('org.apache.kafka.tools.ConsumerPerformance');
    const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(after('--group')).toBe('g');
    expect(after('--num-records')).toBe('42');
    expect(after('--timeout')).toBe('60000');
    expect(after('--command-config')).toBe('/p');
    // Without --from-latest ConsumerPerformance starts a new group at the earliest offset.
    expect(args).not.toContain('--from-latest');
  });
});
