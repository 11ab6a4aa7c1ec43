// Human-readable renderings of a HarnessResult: a Markdown table with Stratus/Kafka ratios and an
// SVG latency-percentile plot (hand-written SVG: no plotting dependency for one chart).
import type { HarnessResult, TargetRun } from './result';

const MB = 1_000_000;
const fmt = (n: number | undefined, digits = 1): string => (n === undefined || !Number.isFinite(n) ? '—' : n.toFixed(digits));

/** CPU of the client JVMs whose name starts with `kind` (producer-jvm, consumer-jvm-1, ...). */
function clientCores(r: TargetRun, kind: 'producer' | 'consumer'): number | undefined {
  const jvms = r.client.filter((c) => c.name.startsWith(kind) || (kind === 'producer' && c.name === 'client-jvm'));
  return jvms.length ? jvms.reduce((a, c) => a + c.cpuCores, 0) : undefined;
}

interface Row {
  readonly label: string;
  readonly value: (r: TargetRun) => number | undefined;
  readonly digits?: number;
  /** Whether more is better (shown next to the ratio so a reader needs no lookup). */
  readonly better: 'higher' | 'lower';
}

const ROWS: readonly Row[] = [
  { label: 'publish rate (msg/s)', value: (r) => r.recordsPerSec, digits: 0, better: 'higher' },
  { label: 'publish rate (MB/s)', value: (r) => r.mbPerSec, better: 'higher' },
  { label: 'fraction of TCP loopback', value: (r) => r.fractionOfTcpLoopback, digits: 3, better: 'higher' },
  { label: 'fraction of disk write', value: (r) => r.fractionOfDiskWrite, digits: 3, better: 'higher' },
  { label: 'publish latency p50 (ms)', value: (r) => r.latencyMs?.p50, better: 'lower' },
  { label: 'publish latency p95 (ms)', value: (r) => r.latencyMs?.p95, better: 'lower' },
  { label: 'publish latency p99 (ms)', value: (r) => r.latencyMs?.p99, better: 'lower' },
  { label: 'publish latency p99.9 (ms)', value: (r) => r.latencyMs?.p999, better: 'lower' },
  { label: 'publish latency max (ms)', value: (r) => r.latencyMs?.max, better: 'lower' },
  { label: 'end-to-end p50 (ms)', value: (r) => (r.endToEndMs && 'p50Ms' in r.endToEndMs ? r.endToEndMs.p50Ms : undefined), better: 'lower' },
  { label: 'end-to-end p99 (ms)', value: (r) => (r.endToEndMs && 'p99Ms' in r.endToEndMs ? r.endToEndMs.p99Ms : undefined), better: 'lower' },
  { label: 'end-to-end p99.9 (ms)', value: (r) => (r.endToEndMs && 'p999Ms' in r.endToEndMs ? r.endToEndMs.p999Ms : undefined), better: 'lower' },
  { label: 'server CPU (cores)', value: (r) => r.serverCpuCores, digits: 2, better: 'lower' },
  { label: 'server CPU per MB/s (core-s/MB)', value: (r) => (r.serverCpuCores !== undefined && r.mbPerSec ? r.serverCpuCores / r.mbPerSec : undefined), digits: 3, better: 'lower' },
  { label: 'server RSS, sum of peaks (MB)', value: (r) => (r.serverRssBytes === undefined ? undefined : r.serverRssBytes / MB), digits: 0, better: 'lower' },
  // The consumer's JVM start and group join count in the first pair; the second is the read path alone.
  { label: 'consume rate incl. group join (msg/s)', value: (r) => r.consume?.recordsPerSec, digits: 0, better: 'higher' },
  { label: 'consume rate incl. group join (MB/s)', value: (r) => r.consume?.mbPerSec, better: 'higher' },
  { label: 'consume rate after group join (msg/s)', value: (r) => r.consume?.fetchRecordsPerSec, digits: 0, better: 'higher' },
  { label: 'consume rate after group join (MB/s)', value: (r) => r.consume?.fetchMbPerSec, better: 'higher' },
  { label: 'records consumed / expected', value: (r) => (r.consume ? r.consume.records / r.consume.expectedRecords : undefined), digits: 3, better: 'higher' },
  { label: 'consumer group join (ms)', value: (r) => r.consume?.rebalanceMs, digits: 0, better: 'lower' },
  { label: 'catch-up read server CPU (cores)', value: (r) => r.catchUp?.serverCpuCores, digits: 2, better: 'lower' },
  // Cold catch-up: how much of the read really came from tiered storage, and how long the hot tier took to let go.
  { label: 'catch-up records only in the cold tier (share)', value: (r) => r.catchUp?.cold?.coldFraction, digits: 3, better: 'higher' },
  { label: 'wait for local retention after the fill (s)', value: (r) => r.catchUp?.cold?.waitSeconds, digits: 0, better: 'lower' },
  { label: 'producer JVM CPU (cores)', value: (r) => clientCores(r, 'producer'), digits: 2, better: 'lower' },
  { label: 'consumer JVM CPU (cores)', value: (r) => clientCores(r, 'consumer'), digits: 2, better: 'lower' },
  { label: 'disk written (MB)', value: (r) => (r.diskBytesWritten === undefined ? undefined : r.diskBytesWritten / MB), digits: 0, better: 'lower' },
  { label: 'disk bytes per published byte', value: (r) => r.writeAmplification, digits: 2, better: 'lower' },
];

/** Averages a figure over the successful rounds of one target. */
function mean(runs: readonly TargetRun[], f: (r: TargetRun) => number | undefined): number | undefined {
  const values = runs.filter((r) => r.ok).map(f).filter((v): v is number => v !== undefined && Number.isFinite(v));
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : undefined;
}

export function targetsOf(result: HarnessResult): string[] {
  return [...new Set(result.runs.map((r) => r.target))];
}

const loads = (l: readonly number[]): string => l.map((x) => x.toFixed(2)).join(' ');

/** "from offset 0 (cold tier: ...)" — what the catch-up read was asked to read from. */
function catchUpTierText(w: HarnessResult['workload']): string {
  if (w.catchUpTier !== 'cold') return `${w.catchUpTier ?? 'hot'} tier`;
  const segment = w.tierSegmentBytes ?? 2 ** 20;
  return `cold tier: tiered storage, ${fmt(segment / 2 ** 20, segment % 2 ** 20 === 0 ? 0 : 2)} MiB segments, local.retention.bytes=0, read once local retention has left only the active segments hot`;
}

/** Per run, where the data was when a cold catch-up read started. */
function coldTierLines(result: HarnessResult): string[] {
  const lines = result.runs.flatMap((r) => {
    const c = r.catchUp?.cold;
    if (!c) return [];
    const hot = c.partitions.map((p) => p.end - Math.max(p.hotStart, p.logStart));
    return [
      `- ${r.target} round ${r.round}: ${c.coldRecords} of ${c.records} records (${(c.coldFraction * 100).toFixed(1)}%) were below the hot tier's start when the read began, after ${c.waitSeconds.toFixed(0)} s of waiting for local retention; still hot per partition: ${Math.min(...hot)}..${Math.max(...hot)} records (the active segment).`,
    ];
  });
  return lines.length ? ['', 'Cold tier at the start of the read:', ...lines] : [];
}

/** A run on a machine busier than its core count gets a plain warning in its own file. */
function loadWarning(result: HarnessResult): string[] {
  const peak = Math.max(...(result.loadAverageAtStart ?? []), ...result.machine.loadAverage);
  if (!(peak > result.machine.cores)) return [];
  return [
    '',
    `**Loaded machine:** the load average reached ${peak.toFixed(1)} on ${result.machine.cores} cores: other jobs shared the CPU with both targets, so every process got a small, varying share. Absolute figures are far below what this hardware does idle, and ratios between targets can swing run to run; treat them as indicative only.`,
  ];
}

export function renderMarkdown(result: HarnessResult): string {
  const targets = targetsOf(result);
  const byTarget = new Map(targets.map((t) => [t, result.runs.filter((r) => r.target === t)]));
  const stratus = targets.find((t) => t === 'stratus');
  const references = targets.filter((t) => t !== 'stratus');
  const w = result.workload;
  const lines: string[] = [
    `## ${w.name}: ${w.description}`,
    '',
    `${w.topics} topic × ${w.partitionsPerTopic} partitions, ${w.messageSize} B messages, ${w.producersPerTopic} producer(s), ${w.consumersPerTopic} consumer(s) in one group, acks=${w.acks}, linger.ms=${w.lingerMs}, batch.size=${w.batchSize}, ${w.mode}${w.rateMBps ? ` ${w.rateMBps} MB/s` : ''}${w.mode === 'catch-up' ? `: produce ${fmt((w.catchUpBytes ?? 0) / 2 ** 20, 0)} MiB, then read it all from offset 0 (${catchUpTierText(w)})` : `, ${w.durationSeconds} s`}.`,
    `Machine: ${result.machine.cores} × ${result.machine.cpuModel}, ${(result.machine.memoryBytes / 2 ** 30).toFixed(1)} GiB, load average (1/5/15 min) ${result.loadAverageAtStart ? `at the start ${loads(result.loadAverageAtStart)}, ` : ''}at the end ${loads(result.machine.loadAverage)}.`,
    ...loadWarning(result),
    `Limits measured in this run: TCP loopback ${fmt(result.limits.tcpLoopbackBytesPerSec / MB, 0)} MB/s, sequential disk write (fsync) ${fmt(result.limits.diskWriteBytesPerSec / MB, 0)} MB/s.`,
    '',
  ];
  const header = ['figure', ...targets, ...(stratus ? references.map((r) => `stratus / ${r}`) : [])];
  lines.push(`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`);
  for (const row of ROWS) {
    const values = targets.map((t) => mean(byTarget.get(t) ?? [], row.value));
    if (values.every((v) => v === undefined)) continue;
    const s = stratus ? mean(byTarget.get(stratus) ?? [], row.value) : undefined;
    const ratios = stratus ? references.map((r) => {
      const ref = mean(byTarget.get(r) ?? [], row.value);
      return s !== undefined && ref !== undefined && ref !== 0 ? `${(s / ref).toFixed(2)} (${row.better} is better)` : '—';
    }) : [];
    lines.push(`| ${row.label} | ${values.map((v) => fmt(v, row.digits ?? 1)).join(' | ')}${ratios.length ? ` | ${ratios.join(' | ')}` : ''} |`);
  }
  lines.push(...coldTierLines(result));
  const failures = result.runs.filter((r) => !r.ok);
  if (failures.length) {
    lines.push('', 'Failed runs:', ...failures.map((f) => `- ${f.target} round ${f.round}: ${(f.error ?? '').split('\n')[0]}`));
  }
  const consumeErrors = result.runs.filter((r) => r.consumeError);
  if (consumeErrors.length) lines.push('', ...consumeErrors.map((r) => `Consumer problem on ${r.target} round ${r.round}: ${(r.consumeError ?? '').split('\n')[0].slice(0, 300)}`));
  const e2eErrors = result.runs.filter((r) => r.endToEndMs && 'error' in r.endToEndMs);
  if (e2eErrors.length) lines.push('', ...e2eErrors.map((r) => `End-to-end latency not measured on ${r.target}: ${(r.endToEndMs as { error: string }).error.split('\n')[0].slice(0, 300)}`));
  return lines.join('\n') + '\n';
}

const PERCENTILES: readonly { label: string; x: number; pick: (r: TargetRun) => number | undefined }[] = [
  { label: 'p50', x: 50, pick: (r) => r.latencyMs?.p50 },
  { label: 'p95', x: 95, pick: (r) => r.latencyMs?.p95 },
  { label: 'p99', x: 99, pick: (r) => r.latencyMs?.p99 },
  { label: 'p99.9', x: 99.9, pick: (r) => r.latencyMs?.p999 },
  { label: 'max', x: 100, pick: (r) => r.latencyMs?.max },
];
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e'];

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Publish latency by percentile, one line per target; y on a log scale (tails span decades). */
export function renderLatencySvg(result: HarnessResult): string {
  const width = 640;
  const height = 360;
  const m = { left: 64, right: 150, top: 36, bottom: 40 };
  const plotW = width - m.left - m.right;
  const plotH = height - m.top - m.bottom;
  const targets = targetsOf(result);
  const series = targets.map((t) => ({ t, points: PERCENTILES.map((p, i) => ({ i, label: p.label, y: mean(result.runs.filter((r) => r.target === t), p.pick) })) }));
  const ys = series.flatMap((s) => s.points.map((p) => p.y)).filter((y): y is number => y !== undefined && y > 0);
  const lo = Math.pow(10, Math.floor(Math.log10(Math.min(...ys, 1))));
  const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(...ys, 10))));
  const xOf = (i: number): number => m.left + (plotW * i) / (PERCENTILES.length - 1);
  const yOf = (v: number): number => m.top + plotH - (plotH * (Math.log10(Math.max(v, lo)) - Math.log10(lo))) / (Math.log10(hi) - Math.log10(lo));
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m.left}" y="20" font-size="14" font-weight="bold">${esc(result.workload.name)}: publish latency by percentile (ms, log scale)</text>`,
  ];
  for (let d = lo; d <= hi; d *= 10) {
    parts.push(`<line x1="${m.left}" x2="${m.left + plotW}" y1="${yOf(d).toFixed(1)}" y2="${yOf(d).toFixed(1)}" stroke="#ddd"/>`, `<text x="${m.left - 6}" y="${(yOf(d) + 4).toFixed(1)}" text-anchor="end">${d}</text>`);
  }
  PERCENTILES.forEach((p, i) => parts.push(`<text x="${xOf(i).toFixed(1)}" y="${height - m.bottom + 18}" text-anchor="middle">${p.label}</text>`));
  parts.push(`<rect x="${m.left}" y="${m.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#888"/>`);
  series.forEach((s, k) => {
    const color = COLORS[k % COLORS.length];
    const pts = s.points.filter((p): p is { i: number; label: string; y: number } => p.y !== undefined);
    if (pts.length === 0) return;
    parts.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map((p) => `${xOf(p.i).toFixed(1)},${yOf(p.y).toFixed(1)}`).join(' ')}"/>`);
    for (const p of pts) parts.push(`<circle cx="${xOf(p.i).toFixed(1)}" cy="${yOf(p.y).toFixed(1)}" r="3" fill="${color}"><title>${esc(s.t)} ${p.label}: ${p.y} ms</title></circle>`);
    parts.push(`<rect x="${width - m.right + 12}" y="${m.top + k * 20}" width="12" height="12" fill="${color}"/>`, `<text x="${width - m.right + 30}" y="${m.top + k * 20 + 10}">${esc(s.t)}</text>`);
  });
  parts.push('</svg>');
  return parts.join('\n') + '\n';
}
