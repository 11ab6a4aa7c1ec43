// "Who calls X?": for every sample inside the window whose stack contains a function named X,
// the first few of our own frames above it (bundled frames mapped back through the source map).
// Answers questions self time cannot, e.g. which of our code paths issue the gRPC calls that
// @grpc/grpc-js spends its time on. Frames resumed from a promise have no caller of ours on the
// sampled stack; those are counted under "(no caller of ours on the stack)".
import type { OriginalSource } from './profile-packages';
import type { CpuProfile, MonotonicWindow } from './profile-summary';

export interface CallerLine {
  readonly path: string;
  readonly samples: number;
}

export function callersOf(profile: CpuProfile, options: { functionName: string; depth: number; window?: MonotonicWindow; originalSource?: OriginalSource }): { samples: number; callers: CallerLine[] } {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const child of (n as { children?: readonly number[] }).children ?? []) parent.set(child, n.id);
  const counts = new Map<string, number>();
  let samples = 0;
  let at = profile.startTime;
  const all = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  for (let i = 0; i < all.length; i++) {
    at += deltas[i] ?? 0;
    if (options.window && (at < options.window.startUs || at >= options.window.endUs)) continue;
    const stack: (typeof profile.nodes)[number][] = [];
    for (let id: number | undefined = all[i]; id !== undefined && byId.has(id); id = parent.get(id)) stack.push(byId.get(id) as (typeof profile.nodes)[number]);
    const at0 = stack.findIndex((n) => n.callFrame.functionName === options.functionName);
    if (at0 < 0) continue;
    samples++;
    const ours = stack
      .slice(at0 + 1)
      .filter((n) => /dist\/apps\/[^/]+\/main\.js$/.test(n.callFrame.url))
      .slice(0, options.depth)
      .map((n) => {
        const original = options.originalSource?.(n.callFrame.url, n.callFrame.lineNumber, n.callFrame.columnNumber ?? 0);
        const where = original ? `${original.source.replace(/^webpack:\/\/[^/]*\//, '').split('/').slice(-3).join('/')}:${original.line + 1}` : `main.js:${n.callFrame.lineNumber + 1}`;
        return `${n.callFrame.functionName || '(anonymous)'}@${where}`;
      });
    const key = ours.length ? ours.join(' <- ') : '(no caller of ours on the stack)';
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return { samples, callers: [...counts].sort((a, b) => b[1] - a[1]).map(([path, n]) => ({ path, samples: n })) };
}
