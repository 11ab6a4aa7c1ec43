import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOC_BEGIN, DOC_END } from './emit-table';
import { generate, staleFiles, withCompatibilityTable, writeGenerated } from './generate';
import { loadSpecFolder, stripJsonComments } from './spec-loader';
import { folderSpecs } from './spec-source';

const fixtures = join(__dirname, '__fixtures__', 'specs');

describe('spec loading', () => {
  it('strips // comments but not // inside strings', () => {
    expect(JSON.parse(stripJsonComments('// head\n{ "a": "x // y" } // tail'))).toEqual({ a: 'x // y' });
  });

  it('resolves structs, common structs and the versions that reach them', () => {
    const echo = loadSpecFolder(fixtures).find((m) => m.name === 'EchoRequest');
    expect(echo?.apiKey).toBe(9000);
    expect(echo?.latestVersionUnstable).toBe(true);
    const names = echo?.structs.map((s) => s.tsName);
    expect(names).toEqual(['EchoRequest', 'EchoRequestItem', 'EchoRequestPointer']);
    const pointer = echo?.structs.find((s) => s.name === 'Pointer');
    expect(pointer?.reach).toEqual({ min: 2, max: 3 });
    const leader = echo?.root.fields.find((f) => f.name === 'Leader');
    expect(leader?.tag).toBe(0);
    expect(leader?.type).toEqual({ kind: 'struct', struct: pointer });
  });
});

describe('generation from a spec folder', () => {
  const generated = generate(folderSpecs(fixtures), { unserved: [] });
  const file = (path: string): string => generated.files.find((f) => f.path === path)?.content ?? '';

  it('emits one file per message of a broker API plus the table, registry and index', () => {
    expect(generated.files.map((f) => f.path).sort()).toEqual(['api-registry.ts', 'api-table.ts', 'echo-request.ts', 'echo-response.ts', 'index.ts']);
  });

  it('marks every file as generated and never carries the specs\' about text', () => {
    for (const f of generated.files) {
      expect(f.content.startsWith('// DO NOT EDIT')).toBe(true);
      expect(f.content).not.toContain('SECRET ABOUT TEXT');
    }
  });

  it('types version-gated and tagged fields as optional and nullable ones with | null', () => {
    const echo = file('echo-request.ts');
    expect(echo).toContain('  note: string;');
    expect(echo).toContain('  optionalId?: string | null;');
    expect(echo).toContain('  leader?: EchoRequestPointer;');
    expect(echo).toContain('  id?: Uuid;');
    expect(echo).toContain('  data: Buffer;');
    expect(echo).toContain('_unknownTaggedFields?: UnknownTaggedField[];');
    expect(echo).toContain('count: bigint;');
    expect(echo).toContain('"// inside strings"');
  });

  it('lists only broker APIs in the table, with the unstable flag', () => {
    const table = file('api-table.ts');
    expect(table).toContain("{ apiKey: 9000, name: 'Echo', minVersion: 0, maxVersion: 3, flexibleMinVersion: 2, latestVersionUnstable: true, listeners: ['broker'] }");
    expect(table).not.toContain('9001');
    expect(generated.compatibilityTable).toContain('| 9000 | Echo | 0-3 (v3 unstable) | 2+ | yes |');
  });

  it('puts the reasons of unserved APIs into the table and the document', () => {
    const withUnserved = generate(folderSpecs(fixtures), { unserved: [{ name: 'Echo', reason: 'because' }] });
    expect(withUnserved.files.find((f) => f.path === 'api-table.ts')?.content).toContain(`{ apiKey: 9000, name: 'Echo', reason: "because" }`);
    expect(withUnserved.compatibilityTable).toContain('- **Echo** (key 9000): because');
  });

  it('detects stale, missing and extra generated files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'codegen-'));
    writeGenerated(dir, generated.files);
    expect(staleFiles(dir, generated.files)).toEqual([]);
    writeFileSync(join(dir, 'echo-request.ts'), readFileSync(join(dir, 'echo-request.ts'), 'utf8') + '// edited\n');
    writeFileSync(join(dir, 'old-request.ts'), '');
    expect(staleFiles(dir, generated.files).sort()).toEqual(['echo-request.ts: differs from the generator\'s output', 'old-request.ts: not generated any more']);
    writeGenerated(dir, generated.files);
    expect(staleFiles(dir, generated.files)).toEqual([]);
  });

  it('replaces only the generated section of the compatibility document', () => {
    const doc = `# Title\nintro\n\n${DOC_BEGIN}\nold\n${DOC_END}\n\n## Later part\nkept\n`;
    const updated = withCompatibilityTable(doc, generated.compatibilityTable);
    expect(updated).toContain('intro');
    expect(updated).toContain('## Later part\nkept');
    expect(updated).not.toContain('\nold\n');
    expect(withCompatibilityTable(updated, generated.compatibilityTable)).toBe(updated);
  });
});
