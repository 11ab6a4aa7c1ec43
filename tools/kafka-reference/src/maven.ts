import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * A Maven coordinate `groupId:artifactId:version`, or `groupId:artifactId:version:classifier` for a
 * secondary artifact such as a `test` jar.
 */
export type MavenCoordinate = `${string}:${string}:${string}`;

export interface FetchMavenOptions {
  /** Artifacts to resolve; their runtime dependencies come along. */
  readonly artifacts: readonly MavenCoordinate[];
  /** Cache directory: receives pom.xml and `libs/*.jar`. Reused when already complete. */
  readonly dir: string;
  /** Maven executable (default `mvn` on PATH). */
  readonly mvn?: string;
  /**
   * false: only the named artifacts, none of their dependencies (a plugin jar loaded into a process
   * that already has its own classpath, where a second copy of a library would clash).
   */
  readonly transitive?: boolean;
}

export interface MavenClasspath {
  readonly libDir: string;
  readonly jars: readonly string[];
}

export class MavenFetchError extends Error {
  constructor(
    message: string,
    readonly output: string,
  ) {
    super(message);
    this.name = 'MavenFetchError';
  }
}

const COMPLETE_MARKER = '.complete';
const COORDINATE = /^[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+:[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$/;

/**
 * A throw-away pom whose only purpose is to let `dependency:copy-dependencies` resolve the
 * transitive runtime closure of the requested artifacts: Maven, not us, applies the published
 * dependency management, so the classpath matches what the Kafka project ships.
 */
export function renderFetchPom(artifacts: readonly MavenCoordinate[], options: { transitive?: boolean } = {}): string {
  const deps = artifacts.map((coordinate) => {
    if (!COORDINATE.test(coordinate)) throw new Error(`invalid Maven coordinate: ${coordinate}`);
    const [groupId, artifactId, version, classifier] = coordinate.split(':');
    const extra = [
      classifier ? `<classifier>${classifier}</classifier>` : '',
      // A wildcard exclusion (Maven 3.2.1+) keeps the artifact and drops its whole dependency tree.
      options.transitive === false ? '<exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions>' : '',
    ].join('');
    return `    <dependency><groupId>${groupId}</groupId><artifactId>${artifactId}</artifactId><version>${version}</version>${extra}</dependency>`;
  });
  return [
    '<project xmlns="http://maven.apache.org/POM/4.0.0">',
    '  <modelVersion>4.0.0</modelVersion>',
    '  <groupId>io.stratus.tools</groupId>',
    '  <artifactId>classpath-fetch</artifactId>',
    '  <version>1</version>',
    '  <packaging>pom</packaging>',
    '  <dependencies>',
    ...deps,
    '  </dependencies>',
    '</project>',
    '',
  ].join('\n');
}

/** Downloads (once) the artifacts and their runtime dependencies into `<dir>/libs`. */
export async function fetchMavenClasspath(options: FetchMavenOptions): Promise<MavenClasspath> {
  const libDir = join(options.dir, 'libs');
  const marker = join(options.dir, COMPLETE_MARKER);
  const pom = renderFetchPom(options.artifacts, { ...(options.transitive !== undefined ? { transitive: options.transitive } : {}) });
  // The marker holds the pom it was fetched for: a different artifact list means a fresh download.
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== pom) {
    rmSync(libDir, { recursive: true, force: true });
    mkdirSync(options.dir, { recursive: true });
    writeFileSync(join(options.dir, 'pom.xml'), pom);
    const args = ['-q', '-B', 'dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${libDir}`];
    const { code, output } = await run(options.mvn ?? 'mvn', args, options.dir);
    if (code !== 0) throw new MavenFetchError(`mvn exited with ${code} while fetching ${options.artifacts.join(', ')}`, output);
    // The marker is written last so an interrupted download is retried rather than half-used.
    writeFileSync(marker, pom);
  }
  const jars = readdirSync(libDir)
    .filter((name) => name.endsWith('.jar'))
    .sort()
    .map((name) => join(libDir, name));
  return { libDir, jars };
}

function run(command: string, args: readonly string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
  });
}
