import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SelectedFixture, FixtureEntry } from './select';

export interface ClientRecord {
  readonly client: string;
  readonly clientVersion: string;
  readonly library: string;
}

export interface FixtureIndex {
  readonly format: string;
  readonly capturedWith: { readonly kafka: string; readonly clients: readonly ClientRecord[] };
  readonly fixtures: readonly FixtureEntry[];
}

export const FRAME_FORMAT =
  'Each .bin file is one request frame as sent by the client, WITHOUT the 4-byte size prefix: request header (v1 or v2) followed by the request body.';

/** Replaces one client's folder with the newly selected frames. */
export function writeClientFixtures(root: string, client: string, fixtures: readonly SelectedFixture[]): void {
  const dir = join(root, client);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const fixture of fixtures) writeFileSync(join(root, fixture.entry.file), fixture.bytes);
}

export function writeIndex(root: string, index: FixtureIndex): void {
  writeFileSync(join(root, 'index.json'), JSON.stringify(index, null, 2) + '\n');
}

/** Client folders present on disk, to catch stale folders no longer in the index. */
export function clientFolders(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name);
}
