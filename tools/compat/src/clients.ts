// The clients under test: how to prepare each one (install, compile) and how to start its driver.
// Preparation failures (no network, no JDK, ...) surface as failed tests with the reason.
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as zlib from 'node:zlib';
import { DEFAULT_KAFKA_VERSION, defaultCacheRoot, fetchMavenClasspath, pythonVenv } from '@stratus/kafka-reference';
import { workspaceRoot } from '@stratus/platform-testing';
import type { Codec } from './protocol';
import type { ScenarioId } from './scenarios';

const run = promisify(execFile);
const CLIENTS_DIR = (): string => join(workspaceRoot(), 'tools', 'compat', 'clients');

export interface DriverCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
}

export interface ClientDefinition {
  readonly id: string;
  readonly label: string;
  /** Codecs the client can produce; the consume scenarios expect exactly these. */
  readonly codecs: readonly Codec[];
  /** Scenarios the client has no API for, with the reason shown in the matrix. */
  readonly notApplicable: Partial<Record<ScenarioId, string>>;
  /** Installs or compiles what the driver needs (cached); resolves with how to start it. */
  prepare(): Promise<DriverCommand>;
}

const ALL_CODECS: readonly Codec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
/** @platformatic/kafka compresses zstd with node:zlib, which has it only from Node.js 22.15 / 23.8. */
const NODE_HAS_ZSTD = typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
const node = (driver: string): DriverCommand => ({
  command: 'node',
  args: ['-r', '@swc-node/register', join(CLIENTS_DIR(), driver)],
  env: { SWC_NODE_PROJECT: join(workspaceRoot(), 'tsconfig.base.json') },
});

export function compatCacheDir(...parts: string[]): string {
  const dir = join(defaultCacheRoot(), 'compat', ...parts);
  mkdirSync(dir, { recursive: true });
  return dir;
}

async function javaClient(kafkaVersion: string): Promise<DriverCommand> {
  const jars = await fetchMavenClasspath({
    artifacts: [`org.apache.kafka:kafka-clients:${kafkaVersion}`, 'org.slf4j:slf4j-nop:1.7.36'],
    dir: compatCacheDir('java', kafkaVersion),
  });
  const classpath = join(jars.libDir, '*');
  const classes = compatCacheDir('java', kafkaVersion, 'classes');
  // Compiled once per kafka-clients version, so every scenario pays only the JVM start.
  await run('javac', ['-d', classes, '-cp', classpath, join(CLIENTS_DIR(), 'java', 'Driver.java')], { timeout: 300_000 });
  return { command: 'java', args: ['-Xmx256m', '-cp', `${classes}:${classpath}`, 'Driver'] };
}

const KCAT_NO_ADMIN = 'kcat has no admin commands (the runner creates its topic with kafkajs)';

export const CLIENTS: readonly ClientDefinition[] = [
  { id: 'kafkajs', label: 'kafkajs 2.x (Node.js)', codecs: ALL_CODECS, notApplicable: {}, prepare: async () => node('kafkajs/driver.ts') },
  {
    id: 'kcat',
    label: 'kcat (librdkafka)',
    codecs: ALL_CODECS,
    notApplicable: { 'create-topic': KCAT_NO_ADMIN, 'describe-configs': KCAT_NO_ADMIN, 'alter-config': KCAT_NO_ADMIN, 'delete-topic': KCAT_NO_ADMIN },
    prepare: async () => {
      await run('kcat', ['-V'], { timeout: 30_000 });
      return node('kcat/driver.ts');
    },
  },
  { id: 'java-4', label: `Java kafka-clients ${DEFAULT_KAFKA_VERSION}`, codecs: ALL_CODECS, notApplicable: {}, prepare: () => javaClient(DEFAULT_KAFKA_VERSION) },
  {
    id: 'confluent-kafka-python',
    label: 'confluent-kafka (Python, librdkafka)',
    codecs: ALL_CODECS,
    notApplicable: {},
    prepare: async () => ({ command: await pythonVenv(), args: [join(CLIENTS_DIR(), 'python', 'driver.py'), 'confluent'] }),
  },
  {
    id: 'kafka-python',
    label: 'kafka-python',
    codecs: ALL_CODECS,
    notApplicable: {},
    prepare: async () => ({ command: await pythonVenv(), args: [join(CLIENTS_DIR(), 'python', 'driver.py'), 'kafka-python'] }),
  },
  {
    id: 'platformatic',
    label: '@platformatic/kafka (Node.js)',
    codecs: NODE_HAS_ZSTD ? ALL_CODECS : ALL_CODECS.filter((c) => c !== 'zstd'),
    notApplicable: NODE_HAS_ZSTD ? {} : { 'produce-zstd': `@platformatic/kafka uses node:zlib for zstd, which Node.js ${process.version} does not have (22.15+)` },
    prepare: async () => node('platformatic/driver.ts'),
  },
  {
    id: 'franz-go',
    label: 'franz-go (Go)',
    codecs: ALL_CODECS,
    notApplicable: {},
    prepare: async () => {
      const dir = join(CLIENTS_DIR(), 'franz-go');
      const env = { ...process.env, GOPATH: compatCacheDir('go', 'path'), GOCACHE: compatCacheDir('go', 'build'), GOFLAGS: '-mod=mod' };
      const bin = join(compatCacheDir('go'), 'franz-go-driver');
      await run('go', ['build', '-o', bin, '.'], { cwd: dir, env, timeout: 600_000 });
      return { command: bin, args: [] };
    },
  },
  { id: 'java-3', label: 'Java kafka-clients 3.9.1', codecs: ALL_CODECS, notApplicable: {}, prepare: () => javaClient('3.9.1') },
];
