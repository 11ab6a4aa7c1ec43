import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { ConfigError } from './config-error';

export interface ConfigFileLocation {
  readonly path: string;
  /** How the path was given, named in errors: `--config` or the environment variable. */
  readonly givenBy: string;
}

/**
 * Finds the optional YAML file: `--config <file>` / `--config=<file>` on the command line wins
 * over `<PREFIX>CONFIG_FILE` in the environment.
 */
export function locateConfigFile(
  argv: readonly string[],
  env: NodeJS.ProcessEnv,
  prefix: string,
): ConfigFileLocation | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--config') {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--') || next.trim() === '') {
        throw new ConfigError('invalid configuration: --config expects a file path');
      }
      return { path: next, givenBy: '--config' };
    }
    if (arg.startsWith('--config=')) {
      const path = arg.slice('--config='.length);
      if (path.trim() === '') throw new ConfigError('invalid configuration: --config expects a file path');
      return { path, givenBy: '--config' };
    }
  }
  const envName = `${prefix}CONFIG_FILE`;
  const fromEnv = env[envName];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return { path: fromEnv, givenBy: envName };
  return undefined;
}

/** Reads the YAML file; it must hold a mapping (an empty file counts as an empty mapping). */
export function readConfigFile(location: ConfigFileLocation): Record<string, unknown> {
  let source: string;
  try {
    source = readFileSync(location.path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new ConfigError(
      `invalid configuration: ${location.givenBy} names ${JSON.stringify(location.path)} which cannot be read (${reason}): expected a readable YAML file`,
    );
  }
  let document: unknown;
  try {
    document = parse(source);
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0];
    throw new ConfigError(
      `invalid configuration: ${location.givenBy} file ${JSON.stringify(location.path)} is not valid YAML: ${reason}`,
    );
  }
  if (document === null || document === undefined) return {};
  if (typeof document !== 'object' || Array.isArray(document)) {
    throw new ConfigError(
      `invalid configuration: ${location.givenBy} file ${JSON.stringify(location.path)}: expected a YAML mapping of keys to values at the top level`,
    );
  }
  return document as Record<string, unknown>;
}
