import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { metadataConfigSchema } from './config';

describe('metadata config', () => {
  it('requires etcd endpoints', () => {
    expect(() => loadConfig({ schema: metadataConfigSchema, env: {}, argv: [] })).toThrow(
      /^invalid configuration: STRATUS_ETCD_ENDPOINTS \(yaml: etcdEndpoints\) is required/,
    );
  });

  it('parses a comma-separated endpoint list', () => {
    const config = loadConfig({
      schema: metadataConfigSchema,
      env: { STRATUS_ETCD_ENDPOINTS: 'http://10.0.0.1:2379,https://10.0.0.2:2379' },
      argv: [],
    });
    expect(config.etcdEndpoints).toEqual(['http://10.0.0.1:2379', 'https://10.0.0.2:2379']);
    expect(config.grpcPort).toBe(7001);
  });

  it('rejects an endpoint that is not a URL', () => {
    expect(() => loadConfig({ schema: metadataConfigSchema, env: { STRATUS_ETCD_ENDPOINTS: '10.0.0.1:2379' }, argv: [] })).toThrow(
      /STRATUS_ETCD_ENDPOINTS \(yaml: etcdEndpoints\[0\]\)/,
    );
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(metadataConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
