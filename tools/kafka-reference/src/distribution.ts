import { homedir } from 'node:os';
import { join } from 'node:path';
import { fetchMavenClasspath, type MavenClasspath } from './maven';

export const DEFAULT_KAFKA_VERSION = '4.4.0';

/** Where downloads live: outside the repository by default, overridable with STRATUS_CACHE_DIR. */
export function defaultCacheRoot(): string {
  return process.env['STRATUS_CACHE_DIR'] ?? join(homedir(), '.cache', 'stratus');
}

export interface KafkaDistributionOptions {
  readonly version?: string;
  readonly cacheRoot?: string;
}

/**
 * The Apache Kafka server classpath, resolved from Maven Central rather than the release tarball:
 * `kafka_2.13` carries `kafka.Kafka` and `kafka.tools.StorageTool`, and Maven brings exactly the
 * runtime dependencies that artifact declares.
 */
export function fetchKafkaServer(options: KafkaDistributionOptions = {}): Promise<MavenClasspath> {
  const version = options.version ?? DEFAULT_KAFKA_VERSION;
  return fetchMavenClasspath({
    artifacts: [
      `org.apache.kafka:kafka_2.13:${version}`,
      // The release tarball also ships an SLF4J 2 binding to log4j2; the Maven artifacts do not
      // (only slf4j-api 1.7), so without these the broker's log would be silently discarded.
      'org.slf4j:slf4j-api:2.0.17',
      'org.apache.logging.log4j:log4j-slf4j2-impl:2.25.5',
    ],
    dir: join(options.cacheRoot ?? defaultCacheRoot(), 'kafka', version),
  });
}
