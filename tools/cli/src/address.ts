// Where the metadata service is: --metadata, else $STRATUS_METADATA, else the metadataAddress that
// `npm start` records in .stratus/local/cluster.json (looked up from the working directory
// upwards, so the CLI works from any folder of the checkout).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { CommandError, UsageError } from './errors';

export const CLUSTER_FILE = join('.stratus', 'local', 'cluster.json');

const HOST_PORT = /^(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/;

export function validateAddress(address: string, source: string): string {
  const match = HOST_PORT.exec(address);
  const port = match ? Number(match[1]) : 0;
  if (!match || port < 1 || port > 65535) throw new UsageError(`${source}: expected host:port, got ${JSON.stringify(address)}`);
  return address;
}

export function findClusterFile(cwd: string): string | undefined {
  for (let dir = resolve(cwd); ; dir = dirname(dir)) {
    const candidate = join(dir, CLUSTER_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}

export function resolveMetadataAddress(options: { flag?: string; env: NodeJS.ProcessEnv; cwd: string }): string {
  if (options.flag !== undefined) return validateAddress(options.flag, '--metadata');
  const fromEnv = options.env['STRATUS_METADATA'];
  if (fromEnv) return validateAddress(fromEnv, 'STRATUS_METADATA');
  const file = findClusterFile(options.cwd);
  if (!file) throw new CommandError('no metadata address: pass --metadata host:port, set STRATUS_METADATA, or start a local cluster with `npm start`');
  let recorded: unknown;
  try {
    recorded = (JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>)['metadataAddress'];
  } catch {
    throw new CommandError(`${file} is not valid JSON; pass --metadata host:port`);
  }
  if (typeof recorded !== 'string') throw new CommandError(`${file} has no metadataAddress (restart \`npm start\` to record it); pass --metadata host:port`);
  return validateAddress(recorded, file);
}
