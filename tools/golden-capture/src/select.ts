import { apiName } from './api-names';
import type { RecordedFrame } from './proxy';

export interface FixtureEntry {
  readonly client: string;
  readonly clientVersion: string;
  readonly apiKey: number;
  readonly apiName: string;
  readonly apiVersion: number;
  readonly correlationId: number;
  readonly clientId: string | null;
  readonly listener: string;
  /** Path relative to the golden fixtures root, e.g. `kafkajs/Produce-v9-1.bin`. */
  readonly file: string;
  readonly size: number;
}

export interface SelectOptions {
  readonly client: string;
  readonly clientVersion: string;
  /** At most this many distinct frames per (api, version, client.id). */
  readonly perClientId: number;
  /** At most this many frames per (api, version). */
  readonly perVersion: number;
  /** Frames larger than this are left out to keep the fixtures small. */
  readonly maxFrameBytes: number;
}

export interface SelectedFixture {
  readonly entry: FixtureEntry;
  readonly bytes: Buffer;
}

/**
 * Picks a few distinct frames per (api, version). The driver gives each scenario step its own
 * client.id (e.g. `produce-zstd`), so taking the first frame of every client.id before any second
 * one keeps one Produce per compression codec and one SaslAuthenticate per mechanism.
 */
export function selectFixtures(frames: readonly RecordedFrame[], options: SelectOptions): SelectedFixture[] {
  const seen = new Set<string>();
  const perKey = new Map<string, number>();
  const perVersion = new Map<string, number>();
  const chosen: RecordedFrame[] = [];
  for (let round = 1; round <= options.perClientId; round++) {
    for (const frame of frames) {
      if (frame.bytes.length > options.maxFrameBytes) continue;
      const version = `${frame.apiKey}/${frame.apiVersion}`;
      const key = `${version}/${frame.clientId ?? ''}`;
      // Correlation ids differ between otherwise identical frames; compare the rest.
      const content = `${version}/${withoutCorrelationId(frame.bytes).toString('base64')}`;
      if (seen.has(content)) continue;
      if ((perKey.get(key) ?? 0) >= round || (perVersion.get(version) ?? 0) >= options.perVersion) continue;
      seen.add(content);
      perKey.set(key, (perKey.get(key) ?? 0) + 1);
      perVersion.set(version, (perVersion.get(version) ?? 0) + 1);
      chosen.push(frame);
    }
  }
  chosen.sort((a, b) => a.apiKey - b.apiKey || a.apiVersion - b.apiVersion || frames.indexOf(a) - frames.indexOf(b));
  const numbering = new Map<string, number>();
  return chosen.map((frame) => {
    const name = apiName(frame.apiKey) ?? `Api${frame.apiKey}`;
    const stem = `${name}-v${frame.apiVersion}`;
    const n = (numbering.get(stem) ?? 0) + 1;
    numbering.set(stem, n);
    return {
      bytes: frame.bytes,
      entry: {
        client: options.client,
        clientVersion: options.clientVersion,
        apiKey: frame.apiKey,
        apiName: name,
        apiVersion: frame.apiVersion,
        correlationId: frame.correlationId,
        clientId: frame.clientId,
        listener: frame.listener,
        file: `${options.client}/${stem}-${n}.bin`,
        size: frame.bytes.length,
      },
    };
  });
}

function withoutCorrelationId(bytes: Buffer): Buffer {
  return Buffer.concat([bytes.subarray(0, 4), bytes.subarray(8)]);
}
