// CLI of the Kafka message codec generator.
//   generate [--specs <folder>]   regenerate libs/kafka/messages/src/generated and the API table
//                                 section of docs/compatibility.md (default: pinned kafka-clients jar)
//   check [--specs <folder>]      exit 1 when the committed generated code is stale
//   fetch                         only fetch and extract the pinned specs (prints the folder)
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { generate, staleFiles, withCompatibilityTable, writeGenerated } from './generate';
import { folderSpecs, pinnedSpecs, type SpecSource } from './spec-source';

export const GENERATED_DIR = 'libs/kafka/messages/src/generated';
export const COMPATIBILITY_DOC = 'docs/compatibility.md';

export function findWorkspaceRoot(from = process.cwd()): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no nx.json above ${from}`);
    dir = up;
  }
  return dir;
}

function option(args: readonly string[], name: string): string | undefined {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
}

function main(args: readonly string[]): number {
  const root = findWorkspaceRoot();
  const command = args[0] ?? 'generate';
  const specs = option(args, '--specs');
  const source: SpecSource = specs !== undefined ? folderSpecs(resolve(specs)) : pinnedSpecs(root);
  if (command === 'fetch') {
    console.log(source.dir);
    return 0;
  }
  const result = generate(source);
  const outDir = join(root, option(args, '--out') ?? GENERATED_DIR);
  const docPath = join(root, COMPATIBILITY_DOC);
  const doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Kafka compatibility\n';
  const newDoc = withCompatibilityTable(doc, result.compatibilityTable);
  if (command === 'check') {
    const problems = staleFiles(outDir, result.files);
    if (doc !== newDoc) problems.push(`${COMPATIBILITY_DOC}: API table section is stale`);
    if (problems.length > 0) {
      console.error(`Generated Kafka codecs are stale (${source.label}); run \`npx nx run kafka-messages:generate\`:`);
      for (const p of problems.slice(0, 50)) console.error(`  ${p}`);
      return 1;
    }
    console.log(`Generated Kafka codecs are current (${result.files.length} files from ${source.label}).`);
    return 0;
  }
  if (command !== 'generate') {
    console.error(`unknown command ${command}`);
    return 2;
  }
  writeGenerated(outDir, result.files);
  if (option(args, '--out') === undefined) writeFileSync(docPath, newDoc);
  console.log(`Generated ${result.files.length} files from ${source.label} into ${outDir}.`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
