// Schema validation of rendered objects against the Kubernetes OpenAPI schemas bundled in the
// kubernetes-models npm packages, offline. Runs scripts/validate-manifests.mjs in a child Node
// process because those packages are ES modules only and Jest runs CommonJS here.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { K8sObject } from './manifests';

export interface ValidationResult {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly errors: readonly string[];
}

const SCRIPT = join(__dirname, '..', 'scripts', 'validate-manifests.mjs');

export function validateObjects(objects: readonly K8sObject[]): ValidationResult[] {
  const result = spawnSync(process.execPath, [SCRIPT], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`validate-manifests.mjs failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ValidationResult[];
}

/** One line per invalid object; empty when every object is valid. */
export function schemaViolations(objects: readonly K8sObject[]): string[] {
  return validateObjects(objects)
    .filter((r) => r.errors.length > 0)
    .map((r) => `${r.kind} ${r.name}: ${r.errors.join('; ')}`);
}

let strictPath: string | undefined;

/** Path of the k8s-strict decoder: $STRATUS_K8S_STRICT, else built once by ensure-k8s-strict.sh. */
export function strictDecoderBinary(): string {
  if (strictPath) return strictPath;
  const fromEnv = process.env['STRATUS_K8S_STRICT'];
  if (fromEnv) return (strictPath = fromEnv);
  const result = spawnSync('bash', [join(__dirname, '..', 'scripts', 'ensure-k8s-strict.sh')], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`ensure-k8s-strict.sh failed: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  return (strictPath = lines[lines.length - 1] ?? '');
}

export interface StrictResult {
  readonly kind: string;
  readonly name: string;
  readonly errors: readonly string[];
  /** Kinds the Kubernetes Go scheme does not know (custom resources). */
  readonly skipped: boolean;
}

/**
 * Strict decoding with the API server's Go types: unknown or duplicate fields are errors (the
 * kubernetes-models validators accept unknown fields, and Kubernetes would drop them silently).
 */
export function decodeStrictly(objects: readonly K8sObject[]): StrictResult[] {
  const result = spawnSync(strictDecoderBinary(), [], {
    input: JSON.stringify(objects),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`k8s-strict failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as StrictResult[];
}

/** One line per object with unknown/duplicate/mistyped fields; empty when all decode strictly. */
export function strictViolations(objects: readonly K8sObject[]): string[] {
  return decodeStrictly(objects)
    .filter((r) => r.errors.length > 0)
    .map((r) => `${r.kind} ${r.name}: ${r.errors.join('; ')}`);
}
