import { z } from 'zod';
import { ConfigError, type ConfigIssue, type ConfigSource } from './config-error';
import { locateConfigFile, readConfigFile } from './config-file';
import { envVarName, isSecretKey, yamlPathOf } from './names';

export const DEFAULT_ENV_PREFIX = 'STRATUS_';

export interface LoadConfigOptions<S extends z.ZodObject> {
  readonly schema: S;
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Command-line arguments after the script name; defaults to `process.argv.slice(2)`. */
  readonly argv?: readonly string[];
  /** Environment variable prefix; defaults to `STRATUS_`. */
  readonly envPrefix?: string;
}

/**
 * Builds the typed configuration from, in increasing priority: schema defaults, the optional
 * YAML file, environment variables. Environment wins so that a Kubernetes pod spec can override
 * one value of a shared ConfigMap file. Throws {@link ConfigError} naming every bad key.
 */
export function loadConfig<S extends z.ZodObject>(options: LoadConfigOptions<S>): z.output<S> {
  const env = options.env ?? process.env;
  const argv = options.argv ?? process.argv.slice(2);
  const prefix = options.envPrefix ?? DEFAULT_ENV_PREFIX;
  const keys = Object.keys(options.schema.shape);

  const location = locateConfigFile(argv, env, prefix);
  const file = location ? readConfigFile(location) : {};
  const unknown = Object.keys(file).filter((key) => !keys.includes(key));
  if (unknown.length > 0 && location) {
    // A misspelt key would otherwise be ignored silently and the default used instead.
    throw new ConfigError(
      `invalid configuration: ${location.givenBy} file ${JSON.stringify(location.path)} has unknown key(s) ${unknown
        .map((key) => JSON.stringify(key))
        .join(', ')}: expected only ${keys.join(', ')}`,
    );
  }

  const raw: Record<string, unknown> = {};
  const sources = new Map<string, ConfigSource>();
  for (const key of keys) {
    const fromEnv = env[envVarName(prefix, key)];
    if (fromEnv !== undefined) {
      raw[key] = fromEnv;
      sources.set(key, 'environment');
    } else if (Object.prototype.hasOwnProperty.call(file, key)) {
      raw[key] = file[key];
      sources.set(key, 'file');
    }
  }

  const result = options.schema.safeParse(raw);
  if (result.success) return result.data;

  const issues: ConfigIssue[] = result.error.issues.map((issue) => {
    const key = String(issue.path[0] ?? '');
    const source = sources.get(key);
    return {
      key,
      envVar: envVarName(prefix, key),
      yamlPath: yamlPathOf(issue.path.length > 0 ? issue.path : [key]),
      source,
      expected: issue.message,
      received: source === undefined ? undefined : render(key, valueAt(raw, issue.path)),
    };
  });
  throw ConfigError.fromIssues(issues);
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const part of path) {
    if (node === null || typeof node !== 'object') return node;
    const next = (node as Record<PropertyKey, unknown>)[part];
    // A list given as one comma-separated string has no element to index into: show the whole.
    if (next === undefined) return node;
    node = next;
  }
  return node;
}

function render(key: string, value: unknown): string {
  if (isSecretKey(key)) return '<redacted>';
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 80 ? `${shown.slice(0, 77)}...` : shown;
}
