import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { tieredStorageConfigSchema } from './config';

describe('tiered-storage config', () => {
  it('uses a local folder when no bucket is set', () => {
    const config = loadConfig({ schema: tieredStorageConfigSchema, env: {}, argv: [] });
    expect(config.s3Bucket).toBeUndefined();
    expect(config.objectStoreDir).toBe('data/tiered/objects');
  });

  it('reads the S3 settings', () => {
    const config = loadConfig({
      schema: tieredStorageConfigSchema,
      env: {
        STRATUS_S3_BUCKET: 'b',
        STRATUS_S3_ENDPOINT: 'http://127.0.0.1:4569',
        STRATUS_S3_FORCE_PATH_STYLE: 'true',
        STRATUS_S3_ACCESS_KEY_ID: 'S3RVER',
        STRATUS_S3_SECRET_ACCESS_KEY: 'S3RVER',
      },
      argv: [],
    });
    expect(config).toMatchObject({ s3Bucket: 'b', s3Endpoint: 'http://127.0.0.1:4569', s3ForcePathStyle: true, s3Region: 'us-east-1' });
  });

  it('names the key of a bad value and never echoes the secret', () => {
    expect(() => loadConfig({ schema: tieredStorageConfigSchema, env: { STRATUS_S3_ENDPOINT: 'localhost:9000' }, argv: [] })).toThrow(
      /STRATUS_S3_ENDPOINT \(yaml: s3Endpoint\) = "localhost:9000"/,
    );
    expect(() => loadConfig({ schema: tieredStorageConfigSchema, env: { STRATUS_S3_SECRET_ACCESS_KEY: '' }, argv: [] })).toThrow(
      'STRATUS_S3_SECRET_ACCESS_KEY (yaml: s3SecretAccessKey) = <redacted> from environment',
    );
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(tieredStorageConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
