import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommandError, UsageError } from './errors';
import { resolveMetadataAddress } from './address';

describe('resolveMetadataAddress', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'stratus-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const writeCluster = (content: string) => {
    mkdirSync(join(dir, '.stratus', 'local'), { recursive: true });
    writeFileSync(join(dir, '.stratus', 'local', 'cluster.json'), content);
  };

  it('prefers --metadata, then STRATUS_METADATA, then cluster.json found from a subfolder upwards', () => {
    writeCluster(JSON.stringify({ bootstrap: '127.0.0.1:9092', metadataAddress: '127.0.0.1:4000' }));
    const sub = join(dir, 'a', 'b');
    mkdirSync(sub, { recursive: true });
    expect(resolveMetadataAddress({ flag: 'meta.example:50051', env: { STRATUS_METADATA: '127.0.0.1:1' }, cwd: sub })).toBe('meta.example:50051');
    expect(resolveMetadataAddress({ env: { STRATUS_METADATA: '[::1]:7000' }, cwd: sub })).toBe('[::1]:7000');
    expect(resolveMetadataAddress({ env: {}, cwd: sub })).toBe('127.0.0.1:4000');
  });

  it('explains what to do when there is no address, or it is malformed', () => {
    expect(() => resolveMetadataAddress({ env: {}, cwd: dir })).toThrow(CommandError);
    expect(() => resolveMetadataAddress({ env: {}, cwd: dir })).toThrow(/--metadata host:port/);
    writeCluster(JSON.stringify({ bootstrap: '127.0.0.1:9092' }));
    expect(() => resolveMetadataAddress({ env: {}, cwd: dir })).toThrow(/has no metadataAddress/);
    writeCluster('{ nope');
    expect(() => resolveMetadataAddress({ env: {}, cwd: dir })).toThrow(/not valid JSON/);
    expect(() => resolveMetadataAddress({ flag: 'localhost', env: {}, cwd: dir })).toThrow(UsageError);
    expect(() => resolveMetadataAddress({ flag: 'h:70000', env: {}, cwd: dir })).toThrow(/expected host:port/);
  });
});
