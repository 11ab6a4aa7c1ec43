import { CliError, parseCli } from './cli-options';
import { TargetSpecError } from './targets';

describe('parseCli', () => {
  it('parses targets, workload and a duration override', () => {
    const options = parseCli(['--target', 'stratus,kafka,kafka-rf1,bootstrap:127.0.0.1:9092', '--workload', '1x16-1kb-max', '--duration', '20']);
    expect(options.targets.map((t) => t.kind)).toEqual(['stratus', 'kafka', 'kafka-rf1', 'bootstrap']);
    expect(options.workload.durationSeconds).toBe(20);
    expect(options.rounds).toBe(1);
    expect(options.endToEnd).toBe(true);
  });

  it('uses an existing Stratus cluster when --bootstrap and credentials are given', () => {
    const options = parseCli(['--target', 'stratus', '--workload', 'smoke-1x1-1kb', '--bootstrap', 'localhost:9092', '--username', 'k', '--password', 's']);
    expect(options.targets[0]).toEqual({ kind: 'stratus-existing', bootstrap: 'localhost:9092', username: 'k', password: 's' });
  });

  it('overrides the catch-up size, only for catch-up workloads', () => {
    expect(parseCli(['--target', 'stratus', '--workload', '1x16-1kb-catchup-hot', '--catchup-bytes', '64MiB']).workload.catchUpBytes).toBe(64 * 2 ** 20);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x16-1kb-catchup-hot', '--catchup-bytes', 'x'])).toThrow(/--catchup-bytes/);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x16-1kb-catchup-hot', '--catchup-bytes', '10'])).toThrow(/at least one message/);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x1-1kb-max', '--catchup-bytes', '1GiB'])).toThrow(/catch-up workloads only/);
  });

  it('rejects bad input with typed errors', () => {
    expect(() => parseCli(['--workload', '1x1-1kb-max'])).toThrow(CliError);
    expect(() => parseCli(['--target', 'redpanda', '--workload', '1x1-1kb-max'])).toThrow(TargetSpecError);
    expect(() => parseCli(['--target', 'bootstrap:nohost', '--workload', '1x1-1kb-max'])).toThrow(TargetSpecError);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x1-1kb-max', '--duration', '0'])).toThrow(/--duration/);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x1-1kb-max', '--bogus'])).toThrow(CliError);
    expect(() => parseCli(['--target', 'stratus', '--workload', '1x1-1kb-max', '--bootstrap', 'h:1'])).toThrow(/--username/);
  });
});
