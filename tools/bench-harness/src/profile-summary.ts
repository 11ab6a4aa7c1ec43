// Summarises V8 .cpuprofile files (from `node --cpu-prof`): self time per function and per source
// file, so docs/performance.md can cite where each service spends its CPU.
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench-harness/src/profile-summary.ts <file.cpuprofile>... [--top 15]
import { readFileSync } from 'node:fs';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly hitCount?: number;
}

interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileLine {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  readonly totalMs: number;
  /** Share of samples that were not idle/program/GC bookkeeping. */
  readonly busyShare: number;
  readonly functions: readonly ProfileLine[];
  readonly files: readonly ProfileLine[];
}

const shortUrl = (url: string): string => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/dist\//, 'dist/');

export function summariseProfile(profile: CpuProfile, options: { top: number }): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  // Each sample's time is the delta to the next sample.
  for (let i = 0; i < samples.length; i++) {
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
  }
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += us;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    const key = `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`;
    fn.set(key, (fn.get(key) ?? 0) + us);
    const fileKey = url ? shortUrl(url) : functionName;
    file.set(fileKey, (file.get(fileKey) ?? 0) + us);
  }
  const lines = (m: Map<string, number>): ProfileLine[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: total > 0 ? us / total : 0 }));
  return { totalMs: total / 1000, busyShare: total > 0 ? 1 - idle / total : 0, functions: lines(fn), files: lines(file) };
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const topIndex = args.indexOf('--top');
  const top = topIndex >= 0 ? Number(args[topIndex + 1]) : 15;
  const files = args.filter((a, i) => a !== '--top' && i !== topIndex + 1);
  if (files.length === 0) {
    process.stderr.write('usage: profile-summary.ts <file.cpuprofile>... [--top N]\n');
    process.exit(2);
  }
  for (const path of files) {
    const s = summariseProfile(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, { top });
    process.stdout.write(`\n## ${path}: ${(s.totalMs / 1000).toFixed(1)} s sampled, ${(s.busyShare * 100).toFixed(0)}% not idle\n\nTop functions (self time):\n`);
    for (const l of s.functions) process.stdout.write(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.selfMs.toFixed(0).padStart(7)} ms  ${l.name}\n`);
    process.stdout.write('Top files (self time):\n');
    for (const l of s.files) process.stdout.write(`  ${(l.share * 100).toFixed(1).padStart(5)}%  ${l.selfMs.toFixed(0).padStart(7)} ms  ${l.name}\n`);
  }
}
