// Writes a result as <out>.json, <out>.md and <out>-latency.svg.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderLatencySvg, renderMarkdown } from './report';
import type { HarnessResult } from './result';

export interface WrittenFiles {
  readonly json: string;
  readonly markdown: string;
  readonly svg: string;
}

export function writeResult(result: HarnessResult, out: string): WrittenFiles {
  const base = out.replace(/\.json$/, '');
  mkdirSync(dirname(base) || '.', { recursive: true });
  const files = { json: `${base}.json`, markdown: `${base}.md`, svg: `${base}-latency.svg` };
  writeFileSync(files.json, JSON.stringify(result, null, 2) + '\n');
  writeFileSync(files.markdown, `# Benchmark: ${result.workload.name}\n\nCommand: \`${result.command}\`  \nStarted: ${result.startedAt}\n\n${renderMarkdown(result)}\n![latency](${base.split('/').pop()}-latency.svg)\n`);
  writeFileSync(files.svg, renderLatencySvg(result));
  return files;
}
