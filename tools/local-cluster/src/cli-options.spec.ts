import { parseCliOptions, UsageError } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to .stratus/local under the working directory, keeping data', () => {
    expect(parseCliOptions([], '/repo')).toEqual({ dataDir: '/repo/.stratus/local', fresh: false, exitWhenReady: false, kafkaPorts: [9092, 9093, 9094] });
  });

  it('reads --fresh, --exit-when-ready and a relative --data-dir', () => {
    expect(parseCliOptions(['--fresh', '--data-dir', 'tmp/x', '--exit-when-ready'], '/repo')).toEqual({
      dataDir: '/repo/tmp/x',
      fresh: true,
      exitWhenReady: true,
      kafkaPorts: [9092, 9093, 9094],
    });
  });

  it('reads --kafka-ports and refuses anything but three different TCP ports', () => {
    expect(parseCliOptions(['--kafka-ports', '19092,19093,19094'], '/repo').kafkaPorts).toEqual([19092, 19093, 19094]);
    expect(parseCliOptions(['--object-store-url', 's3://b/p?endpoint=http://127.0.0.1:1'], '/repo').objectStoreUrl).toBe('s3://b/p?endpoint=http://127.0.0.1:1');
    expect(() => parseCliOptions(['--object-store-url'], '/repo')).toThrow(/--object-store-url needs a URL/);
    const env = parseCliOptions(['--service-env', 'replication:STRATUS_SEGMENT_BYTES=65536', '--service-env', 'replication:STRATUS_SEGMENT_MS=500', '--service-env', 'tiered-storage:AWS_ACCESS_KEY_ID=a=b'], '/repo').serviceEnv;
    expect(env).toEqual({ replication: { STRATUS_SEGMENT_BYTES: '65536', STRATUS_SEGMENT_MS: '500' }, 'tiered-storage': { AWS_ACCESS_KEY_ID: 'a=b' } });
    for (const bad of ['nope:STRATUS_X=1', 'replication:lower=1', 'replication']) expect(() => parseCliOptions(['--service-env', bad], '/repo')).toThrow(/--service-env needs/);
    for (const bad of ['9092,9093', '9092,9092,9093', '9092,x,9094', '0,1,2', '9092,9093,70000', '']) {
      expect(() => parseCliOptions(['--kafka-ports', bad], '/repo')).toThrow(/--kafka-ports needs three different TCP ports/);
    }
    expect(() => parseCliOptions(['--kafka-ports'], '/repo')).toThrow(UsageError);
  });

  it('rejects unknown options and a --data-dir without a value, naming the problem', () => {
    expect(() => parseCliOptions(['--frsh'], '/repo')).toThrow(new RegExp('unknown option --frsh'));
    expect(() => parseCliOptions(['--data-dir'], '/repo')).toThrow(UsageError);
    expect(() => parseCliOptions(['--data-dir', '--fresh'], '/repo')).toThrow(/--data-dir needs a directory/);
  });
});
