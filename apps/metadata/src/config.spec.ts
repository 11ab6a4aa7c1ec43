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

  it('defaults to one cell matching the base defaults (cell-1 over az-1..az-3)', () => {
    const config = loadConfig({ schema: metadataConfigSchema, env: { STRATUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379' }, argv: [] });
    expect(config.cells).toEqual([{ id: 'cell-1', azs: ['az-1', 'az-2', 'az-3'] }]);
  });

  it('parses STRATUS_CELLS as id:az,az;id:az', () => {
    const config = loadConfig({
      schema: metadataConfigSchema,
      env: { STRATUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379', STRATUS_CELLS: ' cell-1:a, b ,c ; cell-2:d,e,f;' },
      argv: [],
    });
    expect(config.cells).toEqual([
      { id: 'cell-1', azs: ['a', 'b', 'c'] },
      { id: 'cell-2', azs: ['d', 'e', 'f'] },
    ]);
  });

  it.each([
    ['no AZ list', 'cell-1'],
    ['an empty AZ list', 'cell-1:'],
    ['a duplicate cell', 'cell-1:a;cell-1:b'],
    ['a duplicate AZ', 'cell-1:a,a'],
    ['an invalid cell id', 'Cell_1:a'],
    ['nothing', ' ; '],
  ])('refuses %s with a one-line error naming STRATUS_CELLS', (_label, value) => {
    let message = '';
    try {
      loadConfig({ schema: metadataConfigSchema, env: { STRATUS_ETCD_ENDPOINTS: 'http://127.0.0.1:2379', STRATUS_CELLS: value }, argv: [] });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/STRATUS_CELLS \(yaml: cells/);
    expect(message).toContain('expected cells as');
    expect(message.split('\n')[0]).toContain('STRATUS_CELLS');
  });

  it('documents every key in docs/configuration.md', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/configuration.md'), 'utf8');
    for (const key of Object.keys(metadataConfigSchema.shape)) {
      expect(doc).toContain(`| \`${envVarName('STRATUS_', key)}\` | \`${key}\` |`);
    }
  });
});
