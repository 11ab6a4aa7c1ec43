// Generation as a pure function from specs to files, plus writing and staleness checking.
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emitMessageFile, type GeneratedFile } from './emit-message';
import { DOC_BEGIN, DOC_END, brokerApis, emitApiRegistry, emitApiTable, emitCompatibilityTable, emitIndex } from './emit-table';
import type { MessageModel } from './model';
import { loadSpecFolder } from './spec-loader';
import type { SpecSource } from './spec-source';
import { UNSERVED_APIS, type UnservedApi } from './unserved';

export interface Generated {
  readonly files: GeneratedFile[];
  /** The generated section of docs/compatibility.md. */
  readonly compatibilityTable: string;
  readonly messages: MessageModel[];
}

export interface GenerateOptions {
  /** Broker APIs not to advertise (defaults to Stratus's list). */
  readonly unserved?: readonly UnservedApi[];
}

export function generate(source: SpecSource, options: GenerateOptions = {}): Generated {
  const unserved = options.unserved ?? UNSERVED_APIS;
  const all = loadSpecFolder(source.dir);
  const apis = brokerApis(all);
  // Codecs for every broker API plus the record-level data messages (control records, snapshots);
  // the headers are hand-written in @stratus/kafka-protocol.
  const messages = [...apis.flatMap((a) => [a.request, a.response]), ...all.filter((m) => m.kind === 'data')].sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  const files = [
    ...messages.map((m) => emitMessageFile(m, source.label)),
    emitApiTable(apis, unserved, source.label),
    emitApiRegistry(apis, source.label),
    emitIndex(messages, source.label),
  ];
  return { files, compatibilityTable: emitCompatibilityTable(apis, unserved, source.label), messages };
}

/** Replaces the generated .ts files of `outDir` with `files`. */
export function writeGenerated(outDir: string, files: readonly GeneratedFile[]): void {
  mkdirSync(outDir, { recursive: true });
  const keep = new Set(files.map((f) => f.path));
  for (const name of readdirSync(outDir)) if (name.endsWith('.ts') && !keep.has(name)) rmSync(join(outDir, name));
  for (const file of files) {
    const path = join(outDir, file.path);
    if (!existsSync(path) || readFileSync(path, 'utf8') !== file.content) writeFileSync(path, file.content);
  }
}

/** Differences between `outDir` and freshly generated `files` (empty when current). */
export function staleFiles(outDir: string, files: readonly GeneratedFile[]): string[] {
  const problems: string[] = [];
  const expected = new Set(files.map((f) => f.path));
  const present = existsSync(outDir) ? readdirSync(outDir).filter((n) => n.endsWith('.ts')) : [];
  for (const name of present) if (!expected.has(name)) problems.push(`${name}: not generated any more`);
  for (const file of files) {
    const path = join(outDir, file.path);
    if (!existsSync(path)) problems.push(`${file.path}: missing`);
    else if (readFileSync(path, 'utf8') !== file.content) problems.push(`${file.path}: differs from the generator's output`);
  }
  return problems;
}

/** The document with its generated section replaced (or appended when absent). */
export function withCompatibilityTable(doc: string, table: string): string {
  const begin = doc.indexOf(DOC_BEGIN);
  const end = doc.indexOf(DOC_END);
  if (begin >= 0 && end > begin) return doc.slice(0, begin) + table + doc.slice(end + DOC_END.length);
  return `${doc.trimEnd()}\n\n${table}\n`;
}
