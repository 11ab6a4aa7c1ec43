// Renders the chart with a real helm binary (built once by tools/scripts/ensure-helm.sh).
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { K8sObject, parseManifests } from './manifests';

export const WORKSPACE_ROOT = join(__dirname, '..', '..');
export const CHART_DIR = join(WORKSPACE_ROOT, 'deploy', 'helm', 'stratus');

/** Kubernetes version rendered for (helm built by go install defaults to an old one). */
export const KUBE_VERSION = '1.31.0';

let helmPath: string | undefined;

/** Path of helm: $STRATUS_HELM, else the cached build from ensure-helm.sh (building it if needed). */
export function helmBinary(): string {
  if (helmPath) return helmPath;
  const fromEnv = process.env['STRATUS_HELM'];
  if (fromEnv) return (helmPath = fromEnv);
  const result = spawnSync('bash', [join(WORKSPACE_ROOT, 'tools', 'scripts', 'ensure-helm.sh')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ensure-helm.sh failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return (helmPath = lines[lines.length - 1] ?? '');
}

export interface RenderOptions {
  /** Values files, relative to the chart directory. */
  readonly valuesFiles?: readonly string[];
  /** `--set` assignments. */
  readonly set?: readonly string[];
  readonly releaseName?: string;
  readonly namespace?: string;
}

export type RenderResult =
  | { readonly ok: true; readonly objects: K8sObject[] }
  | { readonly ok: false; readonly error: string };

export function renderChart(options: RenderOptions = {}): RenderResult {
  const args = [
    'template',
    options.releaseName ?? 'prod',
    CHART_DIR,
    '--namespace',
    options.namespace ?? 'stratus',
    '--kube-version',
    KUBE_VERSION,
    '--api-versions',
    'monitoring.coreos.com/v1',
  ];
  for (const file of options.valuesFiles ?? []) args.push('--values', join(CHART_DIR, file));
  for (const assignment of options.set ?? []) args.push('--set', assignment);
  const result = spawnSync(helmBinary(), args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) return { ok: false, error: result.stderr || String(result.error) };
  return { ok: true, objects: parseManifests(result.stdout) };
}

/** Like renderChart, but a rendering failure is a test failure. */
export function renderOrThrow(options: RenderOptions = {}): K8sObject[] {
  const result = renderChart(options);
  if (!result.ok) throw new Error(`helm template failed: ${result.error}`);
  return result.objects;
}

export function lintChart(options: { readonly valuesFiles?: readonly string[] } = {}): {
  ok: boolean;
  output: string;
} {
  const args = ['lint', CHART_DIR, '--strict', '--kube-version', KUBE_VERSION];
  for (const file of options.valuesFiles ?? []) args.push('--values', join(CHART_DIR, file));
  const result = spawnSync(helmBinary(), args, { encoding: 'utf8' });
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}` };
}
