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
