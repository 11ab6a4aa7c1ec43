// Summarises V8 .cpuprofile files (from `node --cpu-prof` or cpu-profile-hook.cjs): non-idle share,
// self time per function and per owner (node_modules package, @stratus library, Node runtime), so
// docs/performance.md can cite where each service spends its CPU. With --window, only samples taken
// inside the harness's measured window count (start-up and shutdown are left out).
//   SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench-harness/src/profile-summary.ts \
//     [--window <dir>/window-stratus-r1-produce.json] [--top 15] [--callers makeUnaryRequest] <file.cpuprofile>...
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { callersOf } from './profile-callers';
import { ownerOfFrame, sourceMapResolver, workspaceLibraryRoots, type LibraryRoots, type OriginalSource } from './profile-packages';
import type { WindowMarker } from './window-marker';

interface CpuProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number; readonly columnNumber?: number };
  readonly hitCount?: number;
}

export interface CpuProfile {
  readonly nodes: readonly CpuProfileNode[];
  readonly samples?: readonly number[];
  readonly timeDeltas?: readonly number[];
  /** µs of CLOCK_MONOTONIC (process.hrtime's clock). */
  readonly startTime: number;
  readonly endTime: number;
}

export interface ProfileLine {
  readonly name: string;
  readonly selfMs: number;
  readonly share: number;
}

export interface ProfileSummary {
  /** Sampled time counted (inside the window when one is given). */
  readonly totalMs: number;
  /** Share of counted time that was not (idle). */
  readonly busyShare: number;
  /** Samples counted / samples in the profile. */
  readonly samplesCounted: number;
  readonly samplesTotal: number;
  /** Overlap of the profile with the window, in ms (whole profile without a window). */
  readonly coveredMs: number;
  /** Top lists exclude (idle); each share is of the non-idle time. */
  readonly functions: readonly ProfileLine[];
  readonly files: readonly ProfileLine[];
  readonly packages: readonly ProfileLine[];
}

/** A window in the profile's clock (µs of CLOCK_MONOTONIC), inclusive start, exclusive end. */
export interface MonotonicWindow {
  readonly startUs: number;
  readonly endUs: number;
}

export interface SummaryOptions {
  readonly top: number;
  readonly window?: MonotonicWindow;
  readonly roots?: LibraryRoots;
  readonly originalSource?: OriginalSource;
}

const shortUrl = (url: string): string => url.replace(/^file:\/\//, '').replace(/^.*\/(node_modules\/)/, '$1').replace(/^.*\/dist\//, 'dist/');

export function windowFromMarker(marker: Pick<WindowMarker, 'start' | 'end'>): MonotonicWindow {
  return { startUs: marker.start.monotonicUs, endUs: marker.end.monotonicUs };
}

/**
 * Self time per profile node. Sample i is taken at startTime + timeDeltas[0..i] and stands for the
 * time until the next sample; with a window, a sample counts when it was taken inside the window.
 */
export function selfTimeByNode(profile: CpuProfile, window?: MonotonicWindow): { selfUs: Map<number, number>; counted: number; total: number } {
  const selfUs = new Map<number, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let at = profile.startTime;
  let counted = 0;
  for (let i = 0; i < samples.length; i++) {
    at += deltas[i] ?? 0;
    if (window && (at < window.startUs || at >= window.endUs)) continue;
    const id = samples[i] as number;
    selfUs.set(id, (selfUs.get(id) ?? 0) + (deltas[i + 1] ?? 0));
    counted++;
  }
  return { selfUs, counted, total: samples.length };
}

export function summariseProfile(profile: CpuProfile, options: SummaryOptions): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const { selfUs, counted, total: samplesTotal } = selfTimeByNode(profile, options.window);
  const fn = new Map<string, number>();
  const file = new Map<string, number>();
  const pkg = new Map<string, number>();
  const add = (m: Map<string, number>, key: string, us: number): void => {
    m.set(key, (m.get(key) ?? 0) + us);
  };
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const node = byId.get(id);
    if (!node) continue;
    total += us;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') idle += us;
    const where = url ? `${shortUrl(url)}:${lineNumber + 1}` : '';
    add(fn, `${functionName || '(anonymous)'}${where ? ` ${where}` : ''}`, us);
    add(file, url ? shortUrl(url) : functionName, us);
    const owner = ownerOfFrame(
      { functionName, url, lineNumber, columnNumber: node.callFrame.columnNumber ?? 0 },
      { roots: options.roots ?? [], ...(options.originalSource ? { originalSource: options.originalSource } : {}) },
    );
    add(pkg, owner, us);
  }
  // Shares are of the busy (non-idle) time: what a reader wants to know is where the work went.
  const busy = total - idle;
  const lines = (m: Map<string, number>): ProfileLine[] =>
    [...m]
      .filter(([name]) => !name.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, options.top)
      .map(([name, us]) => ({ name, selfMs: us / 1000, share: busy > 0 ? us / busy : 0 }));
  const w = options.window;
  const coveredUs = w ? Math.max(0, Math.min(w.endUs, profile.endTime) - Math.max(w.startUs, profile.startTime)) : profile.endTime - profile.startTime;
  return {
    totalMs: total / 1000,
    busyShare: total > 0 ? 1 - idle / total : 0,
    samplesCounted: counted,
    samplesTotal,
    coveredMs: coveredUs / 1000,
    functions: lines(fn),
    files: lines(file),
    packages: lines(pkg),
  };
}

/** Parses the command line: files, --top N, --window <marker.json>. */
export function parseSummaryArgs(args: readonly string[]): { files: string[]; top: number; windowFile?: string; callers?: string; depth: number } | { error: string } {
  const files: string[] = [];
  let top = 15;
  let windowFile: string | undefined;
  let callers: string | undefined;
  let depth = 3;
  for (let i = 0; i < args.length; i++) {
    const a = args[i] as string;
    if (a === '--top' || a === '--window' || a === '--callers' || a === '--depth') {
      const value = args[++i];
      if (value === undefined) return { error: `${a} needs a value` };
      if (a === '--window') windowFile = value;
      else if (a === '--callers') callers = value;
      else if (a === '--depth') {
        depth = Number(value);
        if (!Number.isInteger(depth) || depth < 1) return { error: `--depth must be a positive integer, got "${value}"` };
      } else {
        top = Number(value);
        if (!Number.isInteger(top) || top < 1) return { error: `--top must be a positive integer, got "${value}"` };
      }
    } else if (a.startsWith('--')) return { error: `unknown option ${a}` };
    else files.push(a);
  }
  if (files.length === 0) return { error: 'no .cpuprofile files given' };
  return { files, top, depth, ...(windowFile ? { windowFile } : {}), ...(callers ? { callers } : {}) };
}

const pct = (x: number): string => `${(x * 100).toFixed(1).padStart(5)}%`;

export function renderSummary(name: string, s: ProfileSummary, window?: MonotonicWindow): string {
  const out: string[] = [];
  const scope = window ? `window ${(s.coveredMs / 1000).toFixed(1)} s, ${s.samplesCounted} of ${s.samplesTotal} samples` : `${(s.totalMs / 1000).toFixed(1)} s sampled (whole life)`;
  // No CPU-cores figure here: the profiler samples wall time, and a thread that is runnable but
  // waiting for a CPU is sampled in its JS frame, so on a loaded machine "not idle" overstates CPU.
  // Take cores from /proc (the harness's per-process figures) and the split from the profile.
  out.push(`\n## ${name}: ${scope}, ${(s.busyShare * 100).toFixed(0)}% not idle (${((s.totalMs * s.busyShare) / 1000).toFixed(1)} s of non-idle samples)\n`);
  out.push('Top packages (self time, share of non-idle):');
  for (const l of s.packages) out.push(`  ${pct(l.share)}  ${l.selfMs.toFixed(0).padStart(7)} ms  ${l.name}`);
  out.push('Top functions (self time, share of non-idle):');
  for (const l of s.functions) out.push(`  ${pct(l.share)}  ${l.selfMs.toFixed(0).padStart(7)} ms  ${l.name}`);
  out.push('Top files (self time, share of non-idle):');
  for (const l of s.files) out.push(`  ${pct(l.share)}  ${l.selfMs.toFixed(0).padStart(7)} ms  ${l.name}`);
  return out.join('\n') + '\n';
}

if (require.main === module) {
  const parsed = parseSummaryArgs(process.argv.slice(2));
  if ('error' in parsed) {
    process.stderr.write(`${parsed.error}\nusage: profile-summary.ts [--window window-<target>-r<n>-<phase>.json] [--top N] [--callers <functionName> [--depth N]] <file.cpuprofile>...\n`);
    process.exit(2);
  }
  const window = parsed.windowFile ? windowFromMarker(JSON.parse(readFileSync(parsed.windowFile, 'utf8')) as WindowMarker) : undefined;
  const roots = workspaceLibraryRoots();
  for (const path of parsed.files) {
    const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
    // One profile is one process of one app: one bundle, one map.
    const originalSource = sourceMapResolver({ preferredMap: path.replace(/\.cpuprofile$/, '.js.map') });
    const s = summariseProfile(profile, { top: parsed.top, roots, originalSource, ...(window ? { window } : {}) });
    process.stdout.write(renderSummary(basename(path), s, window));
    if (parsed.callers) {
      const c = callersOf(profile, { functionName: parsed.callers, depth: parsed.depth, originalSource, ...(window ? { window } : {}) });
      process.stdout.write(`Callers of ${parsed.callers} (${c.samples} samples; our first frames above it):\n`);
      for (const l of c.callers.slice(0, parsed.top)) process.stdout.write(`  ${String(l.samples).padStart(6)}  ${l.path}\n`);
    }
  }
}
