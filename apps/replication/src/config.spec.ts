import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { replicationConfigSchema } from './config';

describe('replication config', () => {
  it('defaults the data directory and takes one from the environment', () => {
    expect(loadConfig({ schema: replicationConfigSchema, env: {}, argv: [] }).dataDir).toBe('data/replication');
    expect(loadConfig({ schema: replicationConfigSchema, env: { STRATUS_DATA_DIR: '/ssd/log' }, argv: [] }).dataDir).toBe('/ssd/log');
  });

  it('takes segment size and roll time so tests can make the node seal segments', () => {
    const defaults = loadConfig({ schema: replicationConfigSchema, env: {}, argv: [] });
    expect(defaults.segmentBytes).toBe(1024 * 1024 * 1024);
    expect(defaults.segmentMs).toBe(7 * 24 * 3600 * 1000);
    const small = loadConfig({ schema: replicationConfigSchema, env: { STRATUS_SEGMENT_BYTES: '65536', STRATUS_SEGMENT_MS: '500' }, argv: [] });
    expect(small.segmentBytes).toBe(65536);
    expect(small.segmentMs).toBe(500);
    expect(() => loadConfig({ schema: replicationConfigSchema, env: { STRATUS_SEGMENT_BYTES: '100' }, argv: [] })).toThrow(/STRATUS_SEGMENT_BYTES/);
    expect(() => loadConfig({ schema: replicationConfigSchema, env: { STRATUS_SEGMENT_BYTES: String(2 ** 31) }, argv: [] })).toThrow(/STRATUS_SEGMENT_BYTES/);
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ schema: replicationConfigSchema, env: { STRATUS_DATA_DIR: ' ' }, argv: [] })).toThrow(
      /STRATUS_DATA_DIR \(yaml: dataDir\) = " " from environment: expected a directory path/,
    );
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(replicationConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
