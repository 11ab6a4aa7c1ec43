import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, envVarName, loadConfig } from '@stratus/platform-config';
import { routerConfigSchema } from './config';

describe('router config', () => {
  const required = { STRATUS_METADATA_ADDRESS: 'metadata.stratus.svc:7001' };

  it('starts with defaults plus the metadata address', () => {
    expect(loadConfig({ schema: routerConfigSchema, env: required, argv: [] })).toMatchObject({
      grpcPort: 7000,
      adminPort: 9100,
      kafkaPort: 9092,
      metadataAddress: 'metadata.stratus.svc:7001',
      credentialCacheTtlMs: 30_000,
      credentialLookupTimeoutMs: 3_000,
    });
  });

  it('requires the metadata address, as host:port', () => {
    expect(() => loadConfig({ schema: routerConfigSchema, env: {}, argv: [] })).toThrow(
      /^invalid configuration: STRATUS_METADATA_ADDRESS \(yaml: metadataAddress\) is required/,
    );
    expect(() => loadConfig({ schema: routerConfigSchema, env: { STRATUS_METADATA_ADDRESS: 'metadata' }, argv: [] })).toThrow(
      /STRATUS_METADATA_ADDRESS \(yaml: metadataAddress\) = "metadata" from environment: expected host:port/,
    );
  });

  it('accepts Kafka port 0 (a free port) and a zero credential cache TTL (no caching)', () => {
    const config = loadConfig({
      schema: routerConfigSchema,
      env: { ...required, STRATUS_KAFKA_PORT: '0', STRATUS_CREDENTIAL_CACHE_TTL_MS: '0' },
      argv: [],
    });
    expect(config.kafkaPort).toBe(0);
    expect(config.credentialCacheTtlMs).toBe(0);
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ schema: routerConfigSchema, env: { ...required, STRATUS_ADMIN_PORT: 'abc' }, argv: [] })).toThrow(
      new ConfigError(
        'invalid configuration: STRATUS_ADMIN_PORT (yaml: adminPort) = "abc" from environment: expected a TCP port number between 0 and 65535',
      ),
    );
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(routerConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
