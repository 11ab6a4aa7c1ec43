import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, envVarName, loadConfig } from '@stratus/platform-config';
import { routerConfigSchema } from './config';

describe('router config', () => {
  it('starts with defaults alone', () => {
    expect(loadConfig({ schema: routerConfigSchema, env: {}, argv: [] })).toMatchObject({ grpcPort: 7000, adminPort: 9100 });
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ schema: routerConfigSchema, env: { STRATUS_ADMIN_PORT: 'abc' }, argv: [] })).toThrow(
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
