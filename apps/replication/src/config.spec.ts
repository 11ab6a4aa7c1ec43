import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { replicationConfigSchema } from './config';

describe('replication config', () => {
  it('defaults the data directory and takes one from the environment', () => {
    expect(loadConfig({ schema: replicationConfigSchema, env: {}, argv: [] }).dataDir).toBe('data/replication');
    expect(loadConfig({ schema: replicationConfigSchema, env: { STRATUS_DATA_DIR: '/ssd/log' }, argv: [] }).dataDir).toBe('/ssd/log');
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
