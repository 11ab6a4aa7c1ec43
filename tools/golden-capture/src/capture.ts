import { defaultCacheRoot, startKafkaCluster, type ClientListener, type KafkaCluster } from '@stratus/kafka-reference';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientDriver } from './clients/driver';
import { FRAME_FORMAT, writeClientFixtures, writeIndex, type ClientRecord, type FixtureIndex } from './fixtures';
import { RecordingProxy } from './proxy';
import { selectFixtures, type FixtureEntry } from './select';

/** APIs issue 3 requires golden frames for; the capture reports any client that sent none of one. */
export const REQUIRED_APIS = [
  'ApiVersions', 'Metadata', 'Produce', 'Fetch', 'ListOffsets', 'FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat',
  'OffsetCommit', 'OffsetFetch', 'SaslHandshake', 'SaslAuthenticate', 'InitProducerId', 'CreateTopics',
] as const;

export interface CaptureOptions {
  readonly drivers: readonly ClientDriver[];
  /** The golden fixtures root (holds index.json and one folder per client). */
  readonly outDir: string;
  readonly kafkaVersion?: string;
  readonly log?: (line: string) => void;
}

export interface CaptureReport {
  readonly captured: readonly { client: string; files: number; bytes: number; missing: readonly string[] }[];
  readonly failed: readonly { client: string; error: string }[];
}

const SELECT = { perClientId: 2, perVersion: 8, maxFrameBytes: 64 * 1024 };

/**
 * Runs every client through the scenario against a real Apache Kafka behind two recording proxies
 * (PLAINTEXT and SASL_PLAINTEXT), then rewrites that client's fixtures. A client that fails keeps
 * its previous fixtures and index entries, so one missing toolchain does not erase the others.
 */
export async function capture(options: CaptureOptions): Promise<CaptureReport> {
  const log = options.log ?? ((line: string) => console.log(line));
  const cacheDir = join(defaultCacheRoot(), 'golden-capture');
  mkdirSync(options.outDir, { recursive: true });
  const previous = readIndex(options.outDir);
  const proxies: Record<ClientListener, RecordingProxy> = {
    plaintext: await RecordingProxy.listen('plaintext'),
    sasl: await RecordingProxy.listen('sasl'),
  };
  let cluster: KafkaCluster | undefined;
  const captured: CaptureReport['captured'][number][] = [];
  const failed: CaptureReport['failed'][number][] = [];
  const entries = new Map<string, readonly FixtureEntry[]>();
  const clients = new Map<string, ClientRecord>();
  for (const entry of previous?.fixtures ?? []) entries.set(entry.client, [...(entries.get(entry.client) ?? []), entry]);
  for (const record of previous?.capturedWith.clients ?? []) clients.set(record.client, record);
  try {
    log(`starting Apache Kafka ${options.kafkaVersion ?? '4.4.0'} behind recording proxies…`);
    // The broker advertises the proxies, so every connection a client opens goes through them.
    cluster = await startKafkaCluster({
      version: options.kafkaVersion,
      advertise: (_nodeId, listener) => ({ host: '127.0.0.1', port: proxies[listener].port }),
    });
    const node = cluster.nodes[0];
    proxies.plaintext.forwardTo(node.listeners.plaintext);
    proxies.sasl.forwardTo(node.listeners.sasl);

    for (const driver of options.drivers) {
      try {
        log(`[${driver.client}] preparing…`);
        const identity = await driver.prepare(join(cacheDir, driver.client));
        proxies.plaintext.drain();
        proxies.sasl.drain();
        log(`[${driver.client}] ${identity.library} ${identity.clientVersion}: running the scenario…`);
        await driver.run({
          plaintext: `127.0.0.1:${proxies.plaintext.port}`,
          sasl: `127.0.0.1:${proxies.sasl.port}`,
          user: cluster.users[0],
          topic: `golden-${driver.client}`,
          group: `golden-${driver.client}`,
          cacheDir: join(cacheDir, driver.client),
        });
        await new Promise((resolve) => setTimeout(resolve, 300)); // let the last frames arrive
        const plain = proxies.plaintext.drain();
        const sasl = proxies.sasl.drain();
        const selected = selectFixtures([...plain.frames, ...sasl.frames], { client: identity.client, clientVersion: identity.clientVersion, ...SELECT });
        writeClientFixtures(options.outDir, identity.client, selected);
        entries.set(identity.client, selected.map((s) => s.entry));
        clients.set(identity.client, { client: identity.client, library: identity.library, clientVersion: identity.clientVersion });
        const names = new Set(selected.map((s) => s.entry.apiName));
        const missing = REQUIRED_APIS.filter((api) => !names.has(api));
        const bytes = selected.reduce((sum, s) => sum + s.bytes.length, 0);
        captured.push({ client: identity.client, files: selected.length, bytes, missing });
        log(`[${driver.client}] ${plain.frames.length + sasl.frames.length} frames seen, ${selected.length} kept (${bytes} bytes)${missing.length ? `; no ${missing.join(', ')}` : ''}`);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        failed.push({ client: driver.client, error });
        log(`[${driver.client}] FAILED, keeping its previous fixtures: ${error}`);
      }
    }
  } finally {
    await cluster?.stop();
    await proxies.plaintext.close();
    await proxies.sasl.close();
  }
  const index: FixtureIndex = {
    format: FRAME_FORMAT,
    capturedWith: { kafka: cluster?.version ?? options.kafkaVersion ?? '4.4.0', clients: [...clients.values()].sort((a, b) => a.client.localeCompare(b.client)) },
    fixtures: [...entries.keys()].sort().flatMap((client) => entries.get(client) ?? []),
  };
  writeIndex(options.outDir, index);
  return { captured, failed };
}

function readIndex(dir: string): FixtureIndex | undefined {
  const file = join(dir, 'index.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as FixtureIndex) : undefined;
}
