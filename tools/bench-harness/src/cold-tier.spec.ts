import {
  coldTopicConfigs,
  hotTierDrained,
  joinOffsets,
  kafkaTieredBrokerConfig,
  LOCAL_TIERED_STORAGE_CLASS,
  OffsetOutputError,
  parseGetOffsetShell,
  recordsPerSegment,
  stratusColdTierArgs,
  summarizeSplit,
} from './cold-tier';

/** `--service-env app:KEY=value` pairs as the local cluster reads them (tools/local-cluster cli-options.ts). */
function serviceEnv(args: readonly string[]): Record<string, Record<string, string>> {
  const env: Record<string, Record<string, string>> = {};
  for (let i = 0; i < args.length; i += 2) {
    expect(args[i]).toBe('--service-env');
    const m = /^([a-z-]+):([A-Z][A-Z0-9_]*)=(.*)$/.exec(args[i + 1] ?? '');
    if (!m) throw new Error(`not app:KEY=value: ${args[i + 1]}`);
    env[m[1] as string] = { ...env[m[1] as string], [m[2] as string]: m[3] as string };
  }
  return env;
}

describe('cold-tier topic and cluster settings', () => {
  it('Kafka topics enable remote storage; Stratus topics (always tiered) do not name it', () => {
    expect(coldTopicConfigs({ target: 'kafka', segmentBytes: 2 ** 20 })).toEqual({
      'segment.bytes': '1048576',
      'local.retention.bytes': '0',
      'local.retention.ms': '1000',
      'remote.storage.enable': 'true',
    });
    expect(coldTopicConfigs({ target: 'stratus', segmentBytes: 4 * 2 ** 20 })).toEqual({ 'segment.bytes': '4194304', 'local.retention.bytes': '0', 'local.retention.ms': '1000' });
  });

  it('the local cluster gets small replication segments, a fast upload loop and no broker tail cache', () => {
    const args = stratusColdTierArgs({ segmentBytes: 2 ** 20 });
    expect(serviceEnv(args)).toEqual({
      replication: { STRATUS_SEGMENT_BYTES: '1048576' },
      'tiered-storage': { STRATUS_UPLOAD_INTERVAL_MS: '1000' },
      broker: { STRATUS_TAIL_CACHE_BYTES_PER_PARTITION: '0' },
    });
  });

  it('Kafka brokers load LocalTieredStorage from its own class path into a shared folder', () => {
    const config = kafkaTieredBrokerConfig({ storageDir: '/tmp/remote', pluginJars: ['/c/a-test.jar', '/c/b-test.jar'], nodes: 3, internalListener: 'INTERNAL' });
    expect(config).toMatchObject({
      'remote.log.storage.system.enable': 'true',
      'remote.log.storage.manager.class.name': LOCAL_TIERED_STORAGE_CLASS,
      'remote.log.storage.manager.class.path': '/c/a-test.jar:/c/b-test.jar',
      'rsm.config.dir': '/tmp/remote',
      'remote.log.metadata.manager.listener.name': 'INTERNAL',
      'rlmm.config.remote.log.metadata.topic.replication.factor': '3',
    });
    // One broker cannot host a metadata topic with three replicas.
    expect(kafkaTieredBrokerConfig({ storageDir: '/r', pluginJars: ['/j'], nodes: 1, internalListener: 'INTERNAL' })['rlmm.config.remote.log.metadata.topic.replication.factor']).toBe('1');
    expect(() => kafkaTieredBrokerConfig({ storageDir: '/r', pluginJars: [], nodes: 3, internalListener: 'INTERNAL' })).toThrow(/LocalTieredStorage jar/);
  });
});

describe('tier split', () => {
  it('counts the records below the hot start per partition and in total', () => {
    const split = summarizeSplit([
      { partition: 0, logStart: 0, hotStart: 900, end: 1000 },
      { partition: 1, logStart: 0, hotStart: 0, end: 1000 },
      { partition: 2, logStart: 100, hotStart: 600, end: 1100 },
    ]);
    expect(split).toMatchObject({ records: 3000, coldRecords: 1400 });
    expect(split.coldFraction).toBeCloseTo(1400 / 3000);
  });

  it('clamps a hot start outside [logStart, end] (answers taken at slightly different moments)', () => {
    const split = summarizeSplit([
      { partition: 0, logStart: 50, hotStart: 10, end: 100 },
      { partition: 1, logStart: 0, hotStart: 120, end: 100 },
    ]);
    expect(split).toMatchObject({ records: 150, coldRecords: 100 });
  });

  it('an empty topic is 0% cold, not NaN', () => {
    expect(summarizeSplit([{ partition: 0, logStart: 0, hotStart: 0, end: 0 }]).coldFraction).toBe(0);
  });

  it('is drained when no partition holds more than two segments of records hot', () => {
    const perSegment = recordsPerSegment({ segmentBytes: 2 ** 20, messageSize: 1024 });
    expect(perSegment).toBe(1024);
    const split = (hot: number[]) => summarizeSplit(hot.map((h, partition) => ({ partition, logStart: 0, hotStart: 10_000 - h, end: 10_000 })));
    expect(hotTierDrained(split([2048, 900, 0]), { recordsPerSegment: perSegment })).toBe(true);
    expect(hotTierDrained(split([2049, 900, 0]), { recordsPerSegment: perSegment })).toBe(false);
    expect(hotTierDrained(split([10_000]), { recordsPerSegment: perSegment })).toBe(false);
  });

  it('a segment holds at least one record whatever the sizes', () => {
    expect(recordsPerSegment({ segmentBytes: 1000, messageSize: 4096 })).toBe(1);
  });
});

describe('GetOffsetShell output', () => {
  it('reads topic:partition:offset lines for the topic asked, skipping other lines', () => {
    const out = ['SLF4J: no binding', 'bench-x:0:1200', 'bench-x:1:0', 'bench-x-e2e:0:5', 'other:0:9', 'bench-x:15:77', ''].join('\n');
    expect([...parseGetOffsetShell(out, 'bench-x')].sort((a, b) => a[0] - b[0])).toEqual([
      [0, 1200],
      [1, 0],
      [15, 77],
    ]);
  });

  it('refuses an offset that is not an integer rather than guessing', () => {
    expect(() => parseGetOffsetShell('t:0:abc', 't')).toThrow(OffsetOutputError);
  });

  it('joins earliest, earliest-local and latest per partition; a missing partition is an error', () => {
    const m = (entries: [number, number][]) => new Map(entries);
    expect(joinOffsets({ partitions: 2, earliest: m([[0, 0], [1, 0]]), earliestLocal: m([[0, 800], [1, 700]]), latest: m([[0, 1000], [1, 900]]) })).toEqual([
      { partition: 0, logStart: 0, hotStart: 800, end: 1000 },
      { partition: 1, logStart: 0, hotStart: 700, end: 900 },
    ]);
    expect(() => joinOffsets({ partitions: 2, earliest: m([[0, 0]]), earliestLocal: m([[0, 1], [1, 1]]), latest: m([[0, 1], [1, 1]]) })).toThrow(/partition 1/);
  });
});
