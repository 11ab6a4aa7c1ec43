// Where the message specs come from: a folder given with --specs, or the pinned kafka-clients jar
// from Maven Central (the jar carries them under common/message/*.json), extracted once into a
// gitignored cache. Maven is used through its ordinary client; ~/.m2 is reused when present.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** The kafka-clients release whose specs the committed code is generated from. */
export const PINNED_KAFKA_VERSION = '4.4.0';

export interface SpecSource {
  readonly dir: string;
  /** Human description written into generated headers (stable across machines). */
  readonly label: string;
}

export function specCacheDir(workspaceRoot: string, version = PINNED_KAFKA_VERSION): string {
  return join(workspaceRoot, 'tmp', 'kafka-specs', version);
}

function hasSpecs(dir: string): boolean {
  return existsSync(dir) && readdirSync(dir).some((f) => f.endsWith('Request.json'));
}

function jarPath(version: string): string {
  return join(homedir(), '.m2', 'repository', 'org', 'apache', 'kafka', 'kafka-clients', version, `kafka-clients-${version}.jar`);
}

/** Fetches the pinned jar with Maven unless it is in ~/.m2 already. */
function ensureJar(version: string): string {
  const jar = jarPath(version);
  if (!existsSync(jar)) {
    execFileSync('mvn', ['-q', '-B', 'dependency:get', `-Dartifact=org.apache.kafka:kafka-clients:${version}`, '-Dtransitive=false'], {
      stdio: 'inherit',
    });
  }
  if (!existsSync(jar)) throw new Error(`Maven did not produce ${jar}`);
  return jar;
}

/** Extracts common/message/*.json from the jar with `unzip`, else the JDK's `jar` tool. */
function extract(jar: string, target: string): void {
  const staging = `${target}.partial`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    execFileSync('unzip', ['-q', '-o', jar, 'common/message/*.json', '-d', staging], { stdio: 'inherit' });
  } catch {
    execFileSync('jar', ['xf', jar, 'common/message'], { cwd: staging, stdio: 'inherit' });
  }
  rmSync(target, { recursive: true, force: true });
  renameSync(join(staging, 'common', 'message'), target);
  rmSync(staging, { recursive: true, force: true });
}

/** Resolves the pinned specs, fetching and extracting them on first use. */
export function pinnedSpecs(workspaceRoot: string, version = PINNED_KAFKA_VERSION): SpecSource {
  const dir = specCacheDir(workspaceRoot, version);
  if (!hasSpecs(dir)) extract(ensureJar(version), dir);
  if (!hasSpecs(dir)) throw new Error(`no specs extracted into ${dir}`);
  return { dir, label: `org.apache.kafka:kafka-clients:${version}` };
}

export function folderSpecs(dir: string): SpecSource {
  if (!hasSpecs(dir)) throw new Error(`${dir} holds no Kafka message specs (*Request.json)`);
  return { dir, label: `spec folder ${dir.split('/').slice(-1)[0]}` };
}
