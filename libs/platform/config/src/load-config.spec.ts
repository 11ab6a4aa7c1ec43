import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { baseConfigShape, etcdEndpoints, type BaseConfig } from './base-schema';
import { ConfigError } from './config-error';
import { boolean, integer, text } from './fields';
import { loadConfig } from './load-config';

const schema = z.object({
  ...baseConfigShape({ grpcPort: 7001, adminPort: 9601 }),
  etcdEndpoints: etcdEndpoints(),
  apiSecret: text().optional(),
  compact: boolean().default(false),
});

function expectConfigError(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const ETCD = { STRATUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' };

describe('loadConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, body: string): string => {
    const path = join(dir, name);
    writeFileSync(path, body);
    return path;
  };

  it('applies defaults and parses typed values from the environment', () => {
    const config = loadConfig({
      schema,
      argv: [],
      env: { ...ETCD, STRATUS_GRPC_PORT: ' 0 ', STRATUS_LOG_LEVEL: 'debug', STRATUS_COMPACT: 'yes' },
    });
    expect(config.grpcPort).toBe(0);
    expect(config.adminPort).toBe(9601);
    expect(config.logLevel).toBe('debug');
    expect(config.compact).toBe(true);
    expect(config.shutdownGraceMs).toBe(10_000);
    expect(config.etcdEndpoints).toEqual(['http://127.0.0.1:2379']);
    expect(config.az).toBe('az-1');
  });

  it('rejects a partially numeric port and names the env var and yaml path', () => {
    const error = expectConfigError(() =>
      loadConfig({ schema, argv: [], env: { ...ETCD, STRATUS_ADMIN_PORT: '12abc' } }),
    );
    expect(error.message).toBe(
      'invalid configuration: STRATUS_ADMIN_PORT (yaml: adminPort) = "12abc" from environment: expected a TCP port number between 0 and 65535',
    );
    expect(error.message).not.toContain('\n');
    expect(error.issues).toEqual([
      expect.objectContaining({ key: 'adminPort', envVar: 'STRATUS_ADMIN_PORT', source: 'environment' }),
    ]);
  });

  it.each([
    ['STRATUS_GRPC_PORT', '65536'],
    ['STRATUS_GRPC_PORT', '-1'],
    ['STRATUS_GRPC_PORT', '1.5'],
    ['STRATUS_GRPC_PORT', ''],
    ['STRATUS_SHUTDOWN_GRACE_MS', '1e3'],
    ['STRATUS_LOG_LEVEL', 'verbose'],
    ['STRATUS_COMPACT', 'maybe'],
    ['STRATUS_AZ', '   '],
  ])('rejects %s=%j', (name, value) => {
    const error = expectConfigError(() => loadConfig({ schema, argv: [], env: { ...ETCD, [name]: value } }));
    expect(error.message).toContain(name);
  });

  it('reports a missing required key as required', () => {
    const error = expectConfigError(() => loadConfig({ schema, argv: [], env: {} }));
    expect(error.message).toMatch(/^invalid configuration: STRATUS_ETCD_ENDPOINTS \(yaml: etcdEndpoints\) is required: expected/);
  });

  it('names the element of a list that is wrong', () => {
    const error = expectConfigError(() =>
      loadConfig({ schema, argv: [], env: { STRATUS_ETCD_ENDPOINTS: 'http://a:2379, ftp://b' } }),
    );
    expect(error.message).toContain('STRATUS_ETCD_ENDPOINTS (yaml: etcdEndpoints[1])');
    expect(error.message).toContain('expected an http:// or https:// URL');
  });

  it('reads a YAML file given with --config and lets the environment override it', () => {
    const path = file('c.yaml', 'grpcPort: 7100\nadminPort: 7200\netcdEndpoints:\n  - http://e1:2379\n  - http://e2:2379\n');
    const config = loadConfig({ schema, argv: ['--config', path], env: { STRATUS_ADMIN_PORT: '7300' } });
    expect(config.grpcPort).toBe(7100);
    expect(config.adminPort).toBe(7300);
    expect(config.etcdEndpoints).toEqual(['http://e1:2379', 'http://e2:2379']);
  });

  it('finds the file through STRATUS_CONFIG_FILE and --config=<file>, --config winning', () => {
    const a = file('a.yaml', 'grpcPort: 1\n');
    const b = file('b.yaml', 'grpcPort: 2\n');
    expect(loadConfig({ schema, argv: [], env: { ...ETCD, STRATUS_CONFIG_FILE: a } }).grpcPort).toBe(1);
    expect(loadConfig({ schema, argv: [`--config=${b}`], env: { ...ETCD, STRATUS_CONFIG_FILE: a } }).grpcPort).toBe(2);
  });

  it('says a bad file value came from the file', () => {
    const path = file('c.yaml', 'grpcPort: "http"\n');
    const error = expectConfigError(() => loadConfig({ schema, argv: ['--config', path], env: ETCD }));
    expect(error.message).toContain('STRATUS_GRPC_PORT (yaml: grpcPort) = "http" from file');
  });

  it('rejects unknown keys in the file so typos do not fall back to defaults', () => {
    const path = file('c.yaml', 'grpcPrt: 1\n');
    const error = expectConfigError(() => loadConfig({ schema, argv: ['--config', path], env: ETCD }));
    expect(error.message).toContain('unknown key(s) "grpcPrt"');
  });

  it('rejects a missing file, invalid YAML and a non-mapping document', () => {
    expect(expectConfigError(() => loadConfig({ schema, argv: ['--config', join(dir, 'nope.yaml')], env: ETCD })).message).toContain(
      'ENOENT',
    );
    const bad = file('bad.yaml', 'a: [1, 2\n');
    expect(expectConfigError(() => loadConfig({ schema, argv: ['--config', bad], env: ETCD })).message).toContain('not valid YAML');
    const seq = file('seq.yaml', '- 1\n- 2\n');
    expect(expectConfigError(() => loadConfig({ schema, argv: ['--config', seq], env: ETCD })).message).toContain('YAML mapping');
    expect(expectConfigError(() => loadConfig({ schema, argv: ['--config'], env: ETCD })).message).toContain('--config expects a file path');
  });

  it('treats an empty file as no settings', () => {
    const path = file('empty.yaml', '');
    expect(loadConfig({ schema, argv: ['--config', path], env: ETCD }).grpcPort).toBe(7001);
  });

  it('never prints the value of a secret key', () => {
    const strict = z.object({ apiSecret: integer() });
    const error = expectConfigError(() => loadConfig({ schema: strict, argv: [], env: { STRATUS_API_SECRET: 'hunter2' } }));
    expect(error.message).toContain('STRATUS_API_SECRET');
    expect(error.message).not.toContain('hunter2');
  });

  it('lists every bad key in the one message', () => {
    const error = expectConfigError(() =>
      loadConfig({ schema, argv: [], env: { ...ETCD, STRATUS_GRPC_PORT: 'x', STRATUS_ADMIN_PORT: 'y' } }),
    );
    expect(error.issues.map((issue) => issue.envVar)).toEqual(['STRATUS_GRPC_PORT', 'STRATUS_ADMIN_PORT']);
  });

  it('honours a custom prefix', () => {
    const config = loadConfig({ schema, argv: [], envPrefix: 'X_', env: { X_ETCD_ENDPOINTS: 'https://e:1', X_GRPC_PORT: '5' } });
    expect(config.grpcPort).toBe(5);
  });
});

describe('baseConfigShape', () => {
  it('produces a BaseConfig', () => {
    const base = z.object(baseConfigShape({ grpcPort: 1, adminPort: 2 }));
    const config: BaseConfig = loadConfig({ schema: base, argv: [], env: {} });
    expect(config).toMatchObject({ grpcPort: 1, adminPort: 2, bindHost: '127.0.0.1', logLevel: 'info', cell: 'cell-1' });
    expect(config.nodeId.length).toBeGreaterThan(0);
  });

  it('gives V8 a heap growing factor of 200 % unless told otherwise, 0 keeping V8\'s own', () => {
    const base = z.object(baseConfigShape({ grpcPort: 1, adminPort: 2 }));
    expect(loadConfig({ schema: base, argv: [], env: {} }).v8HeapGrowingPercent).toBe(200);
    expect(loadConfig({ schema: base, argv: [], env: { STRATUS_V8_HEAP_GROWING_PERCENT: '0' } }).v8HeapGrowingPercent).toBe(0);
    expect(() => loadConfig({ schema: base, argv: [], env: { STRATUS_V8_HEAP_GROWING_PERCENT: '1001' } })).toThrow(
      /STRATUS_V8_HEAP_GROWING_PERCENT.*a percentage between 0 and 1000/,
    );
  });
});
