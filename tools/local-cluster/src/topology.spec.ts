import { DEFAULT_KAFKA_PORTS } from './cli-options';
import { LOCAL_CELL, localTopology } from './topology';

describe('localTopology', () => {
  const specs = localTopology('/data', DEFAULT_KAFKA_PORTS);

  it('has the processes issue #10 asks for: 1 metadata, 3 replication in a/b/c, 2 brokers, 1 tiered, a router per AZ', () => {
    const count = (app: string) => specs.filter((s) => s.app === app).length;
    expect([count('metadata'), count('replication'), count('broker'), count('tiered-storage'), count('router')]).toEqual([
      1, 3, 2, 1, 3,
    ]);
    expect(specs.filter((s) => s.app === 'replication').map((s) => s.az)).toEqual(['a', 'b', 'c']);
    expect(specs.filter((s) => s.app === 'router').map((s) => s.az)).toEqual(['a', 'b', 'c']);
  });

  it('gives every process a unique id and its own data directory under the cluster data dir', () => {
    expect(new Set(specs.map((s) => s.id)).size).toBe(specs.length);
    const dirs = specs.flatMap((s) => Object.entries(s.env).filter(([k]) => k.endsWith('_DIR')).map(([, v]) => v));
    expect(new Set(dirs).size).toBe(dirs.length);
    for (const dir of dirs) expect(dir.startsWith('/data/')).toBe(true);
  });

  it('puts the first router on the Kafka port clients expect', () => {
    expect(specs.filter((s) => s.app === 'router').map((s) => s.env['STRATUS_KAFKA_PORT'])).toEqual(['9092', '9093', '9094']);
    // The supervisor keeps these out of the gRPC and admin ports it picks.
    expect(specs.filter((s) => s.app === 'router').map((s) => s.ports)).toEqual([[9092], [9093], [9094]]);
  });

  it('defines the local cell over AZs a, b, c for the metadata service', () => {
    expect(specs.find((s) => s.app === 'metadata')?.env['STRATUS_CELLS']).toBe('local:a,b,c');
    expect(LOCAL_CELL).toBe('local');
  });
  it('gives tiered-storage a file:// object store under the data directory', () => {
    const env = specs.find((s) => s.app === 'tiered-storage')?.env ?? {};
    expect(env['STRATUS_OBJECT_STORE_URL']).toBe('file:///data/object-store');
    expect(env['STRATUS_CACHE_DIR']).toBe('/data/tiered-cache');
  });
  it('takes another object store URL (an S3 API server) when given one', () => {
    const url = 's3://tiered/?endpoint=http://127.0.0.1:4569&forcePathStyle=true';
    const tiered = localTopology('/data', [1, 2, 3], { objectStoreUrl: url }).find((s) => s.app === 'tiered-storage');
    expect(tiered?.env['STRATUS_OBJECT_STORE_URL']).toBe(url);
    const small = localTopology('/data', [1, 2, 3], { serviceEnv: { replication: { STRATUS_SEGMENT_BYTES: '65536' } } });
    expect(small.filter((s) => s.app === 'replication').map((s) => s.env['STRATUS_SEGMENT_BYTES'])).toEqual(['65536', '65536', '65536']);
    expect(small.find((s) => s.app === 'broker')?.env['STRATUS_SEGMENT_BYTES']).toBeUndefined();
  });
});
