import type { SaslUser } from '@stratus/kafka-reference';

/** What a client needs to run the scenario against the recording proxies. */
export interface ScenarioTarget {
  /** Bootstrap through the PLAINTEXT recording proxy. */
  readonly plaintext: string;
  /** Bootstrap through the SASL_PLAINTEXT recording proxy. */
  readonly sasl: string;
  readonly user: SaslUser;
  /** A topic of its own, so each client's frames are its own. */
  readonly topic: string;
  readonly group: string;
  /** Scratch directory for compiled programs, virtualenvs, downloads. */
  readonly cacheDir: string;
}

export interface ClientIdentity {
  /** Folder name under __fixtures__/golden. */
  readonly client: string;
  /** e.g. "org.apache.kafka:kafka-clients". */
  readonly library: string;
  readonly clientVersion: string;
}

/**
 * One real Kafka client. The scenario (the same for every client, as far as it supports it):
 * create the topic; produce 3 small records per compression codec with an idempotent producer;
 * one transactional produce; consume all 16 records in a group and commit; list topics over SASL
 * with PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512. Every step uses its own client.id.
 */
export interface ClientDriver {
  readonly client: string;
  /** Installs or compiles what the client needs and reports its exact version. */
  prepare(cacheDir: string): Promise<ClientIdentity>;
  run(target: ScenarioTarget): Promise<void>;
}

/** Records the client must produce in total: 5 codecs × 3 records + 1 transactional record. */
export const EXPECTED_RECORDS = 16;
export const CODECS = ['none', 'gzip', 'snappy', 'lz4', 'zstd'] as const;
export type Codec = (typeof CODECS)[number];
export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;
