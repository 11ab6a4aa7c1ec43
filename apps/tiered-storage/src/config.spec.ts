import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { tieredStorageConfigSchema } from './config';

describe('tiered-storage config', () => {
  it('defaults to a local folder as object store and leaves metadata unset', () => {
    const config = loadConfig({ schema: tieredStorageConfigSchema, env: {}, argv: [] });
    expect(config).toMatchObject({ objectStoreUrl: 'file:data/tiered/objects', uploadIntervalMs: 30_000, uploadConcurrency: 2, metadataLeaseTtlMs: 10_000 });
    expect(config.metadataAddress).toBeUndefined();
  });

  it('reads an s3 URL, the loop settings and the metadata address', () => {
    const config = loadConfig({
      schema: tieredStorageConfigSchema,
      env: {
        STRATUS_OBJECT_STORE_URL: 's3://bucket/prefix?endpoint=http://127.0.0.1:4569&region=eu-west-1&forcePathStyle=true',
        STRATUS_UPLOAD_INTERVAL_MS: '5000',
        STRATUS_UPLOAD_CONCURRENCY: '4',
        STRATUS_METADATA_ADDRESS: '127.0.0.1:7002',
      },
      argv: [],
    });
    expect(config).toMatchObject({
      objectStoreUrl: 's3://bucket/prefix?endpoint=http://127.0.0.1:4569&region=eu-west-1&forcePathStyle=true',
      uploadIntervalMs: 5000,
      uploadConcurrency: 4,
      metadataAddress: '127.0.0.1:7002',
    });
  });

  it('names the key of a bad object store URL', () => {
    expect(() => loadConfig({ schema: tieredStorageConfigSchema, env: { STRATUS_OBJECT_STORE_URL: 'ftp://x/y' }, argv: [] })).toThrow(/STRATUS_OBJECT_STORE_URL \(yaml: objectStoreUrl\)/);
    expect(() => loadConfig({ schema: tieredStorageConfigSchema, env: { STRATUS_UPLOAD_CONCURRENCY: '0' }, argv: [] })).toThrow(/STRATUS_UPLOAD_CONCURRENCY/);
  });

  it('refuses credentials inside the URL', () => {
    expect(() => loadConfig({ schema: tieredStorageConfigSchema, env: { STRATUS_OBJECT_STORE_URL: 's3://AKIA:secret@bucket/p' }, argv: [] })).toThrow(/credentials come from the AWS SDK chain/);
  });

  it('no longer accepts the old s3 and folder keys as schema keys', () => {
    expect(Object.keys(tieredStorageConfigSchema.shape)).not.toEqual(expect.arrayContaining(['s3Bucket']));
    expect(Object.keys(tieredStorageConfigSchema.shape)).not.toContain('objectStoreDir');
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(tieredStorageConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
