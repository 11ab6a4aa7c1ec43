// How to connect to the local cluster, as printed by `npm start` (issue #10): the bootstrap address,
// SASL mechanism, username and password, kcat commands that produce and consume, and the
// properties file a Java client (e.g. kafka-console-producer.sh) needs. The end-to-end test runs
// exactly these printed lines, so they must stay copy-pasteable.
import { join } from 'node:path';
import type { ClusterCredentials } from './cluster-credentials';

/** The topic the printed examples use; created on first produce (auto-creation, as Kafka's default). */
export const EXAMPLE_TOPIC = 'demo';

export function clientPropertiesPath(dataDir: string): string {
  return join(dataDir, 'client.properties');
}

/** A JAAS / properties value inside double quotes: backslash and quote escaped. */
function quoted(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A POSIX shell word in single quotes. */
function shellWord(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Java client properties (kafka-clients: security.protocol, sasl.mechanism, sasl.jaas.config). */
export function javaClientProperties(credentials: ClusterCredentials): string {
  const module = credentials.saslMechanism === 'PLAIN' ? 'org.apache.kafka.common.security.plain.PlainLoginModule' : 'org.apache.kafka.common.security.scram.ScramLoginModule';
  return [
    `bootstrap.servers=${credentials.bootstrap}`,
    'security.protocol=SASL_PLAINTEXT',
    `sasl.mechanism=${credentials.saslMechanism}`,
    `sasl.jaas.config=${module} required username=${quoted(credentials.username)} password=${quoted(credentials.password)};`,
    '',
  ].join('\n');
}

export function kcatBase(credentials: ClusterCredentials): string {
  return [
    `kcat -b ${credentials.bootstrap}`,
    '-X security.protocol=SASL_PLAINTEXT',
    `-X sasl.mechanism=${credentials.saslMechanism}`,
    `-X sasl.username=${shellWord(credentials.username)}`,
    `-X sasl.password=${shellWord(credentials.password)}`,
  ].join(' ');
}

export function connectionHelp(credentials: ClusterCredentials, options: { readonly clientPropertiesShownAs: string }): string[] {
  const kcat = kcatBase(credentials);
  const props = options.clientPropertiesShownAs;
  return [
    `[stratus] bootstrap:      ${credentials.bootstrap}`,
    `[stratus] SASL mechanism: ${credentials.saslMechanism} (security.protocol=SASL_PLAINTEXT)`,
    `[stratus] username:       ${credentials.username}`,
    `[stratus] password:       ${credentials.password}`,
    `[stratus] tenant:         ${credentials.tenant}`,
    '[stratus] produce and consume with kcat:',
    `  echo hello | ${kcat} -t ${EXAMPLE_TOPIC} -P`,
    `  ${kcat} -t ${EXAMPLE_TOPIC} -C -o beginning -e`,
    `[stratus] Java clients: the properties are in ${props}, e.g. with Kafka's console tools:`,
    `  kafka-console-producer.sh --bootstrap-server ${credentials.bootstrap} --producer.config ${props} --topic ${EXAMPLE_TOPIC}`,
    `  kafka-console-consumer.sh --bootstrap-server ${credentials.bootstrap} --consumer.config ${props} --topic ${EXAMPLE_TOPIC} --from-beginning`,
  ];
}
