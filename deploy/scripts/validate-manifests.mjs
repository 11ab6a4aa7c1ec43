#!/usr/bin/env node
// Validates Kubernetes objects against the OpenAPI schemas bundled in the `kubernetes-models`
// npm packages (precompiled per kind, so no network is needed). Reads a JSON array of objects
// on stdin and prints a JSON array of { apiVersion, kind, name, errors } (errors empty when the
// object is valid). An apiVersion/kind with no bundled schema is reported as an error rather
// than skipped: an object we cannot check must not pass silently.
//
// It is a separate ES module run by `node` because kubernetes-models ships ES modules only and
// Jest runs CommonJS here; the Jest tests spawn it (see src/validate.ts).
import { readFileSync } from 'node:fs';

/** npm module that holds the models of each API group (the core group has no prefix). */
function modelModule(apiVersion) {
  const group = apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '';
  if (group === 'monitoring.coreos.com') {
    return `@kubernetes-models/prometheus-operator/${apiVersion}`;
  }
  return `kubernetes-models/${apiVersion}`;
}

async function validateOne(object) {
  const { apiVersion, kind } = object ?? {};
  const name = object?.metadata?.name ?? '<unnamed>';
  const result = { apiVersion, kind, name, errors: [] };
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') {
    result.errors.push('apiVersion and kind must be strings');
    return result;
  }
  let models;
  try {
    models = await import(modelModule(apiVersion));
  } catch {
    result.errors.push(`no schema bundled for apiVersion ${apiVersion}`);
    return result;
  }
  const Model = models[kind];
  if (typeof Model !== 'function') {
    result.errors.push(`no schema bundled for ${apiVersion} ${kind}`);
    return result;
  }
  try {
    new Model(object).validate();
  } catch (error) {
    const details = Array.isArray(error?.errors)
      ? error.errors.map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`.trim())
      : [String(error?.message ?? error)];
    result.errors.push(...details);
  }
  return result;
}

const input = JSON.parse(readFileSync(0, 'utf8'));
if (!Array.isArray(input)) {
  process.stderr.write('validate-manifests: expected a JSON array of Kubernetes objects on stdin\n');
  process.exit(2);
}
const results = [];
for (const object of input) results.push(await validateOne(object));
process.stdout.write(JSON.stringify(results));
