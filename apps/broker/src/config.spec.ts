import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envVarName, loadConfig } from '@stratus/platform-config';
import { brokerConfigSchema } from './config';

describe('broker config', () => {
  it('starts with only the metadata address, on ports distinct from the other services', () => {
    expect(loadConfig({ schema: brokerConfigSchema, env: { STRATUS_METADATA_ADDRESS: 'metadata:7001' }, argv: [] })).toMatchObject({
      grpcPort: 7002,
      adminPort: 9102,
      leaseTtlMs: 10_000,
    });
  });

  it('requires the metadata address', () => {
    expect(() => loadConfig({ schema: brokerConfigSchema, env: {}, argv: [] })).toThrow(/STRATUS_METADATA_ADDRESS/);
  });

  it('names the key of a bad value', () => {
    expect(() => loadConfig({ schema: brokerConfigSchema, env: { STRATUS_METADATA_ADDRESS: 'metadata:7001', STRATUS_GRPC_MAX_MESSAGE_BYTES: '10' }, argv: [] })).toThrow(
      /STRATUS_GRPC_MAX_MESSAGE_BYTES \(yaml: grpcMaxMessageBytes\) = "10" from environment: expected a size in bytes between 1024/,
    );
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(brokerConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
