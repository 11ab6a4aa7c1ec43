import { loadConfig } from '@stratus/platform-config';
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
});
