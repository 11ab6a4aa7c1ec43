/** A SASL identity: used for the PLAIN user table and for SCRAM credentials created at format time. */
export interface SaslUser {
  readonly name: string;
  readonly password: string;
}

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** The client-facing listeners. `internal` (inter-broker) and `controller` are never advertised to clients. */
export type ClientListener = 'plaintext' | 'sasl';

/** Listener names as Kafka sees them; the security protocol of each is fixed below. */
export const LISTENER_NAMES = {
  internal: 'INTERNAL',
  plaintext: 'CLIENT',
  sasl: 'SASL_CLIENT',
  controller: 'CONTROLLER',
} as const;

export interface NodePorts {
  readonly internal: number;
  readonly plaintext: number;
  readonly sasl: number;
  readonly controller: number;
}

export interface NodeConfigInput {
  readonly nodeId: number;
  readonly ports: NodePorts;
  /** Every node of the cluster, for the static controller quorum. */
  readonly voters: readonly { readonly nodeId: number; readonly controllerPort: number }[];
  readonly logDir: string;
  /** What clients are told for each client listener (a proxy may stand in front of the broker). */
  readonly advertised: Readonly<Record<ClientListener, HostPort>>;
  readonly plainUsers: readonly SaslUser[];
  /** Cluster size, to size internal topics' replication. */
  readonly clusterSize: number;
  /** Extra or overriding broker configs (e.g. `log.segment.bytes`). */
  readonly overrides?: Readonly<Record<string, string>>;
}

export const SASL_MECHANISMS = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'] as const;

// User names and passwords end up inside a JAAS string and a StorageTool argument, where quotes,
// commas, brackets and '=' have meaning; refusing them is simpler and safer than escaping three syntaxes.
const SAFE_CREDENTIAL = /^[A-Za-z0-9_.@-]{1,128}$/;

export function validateUser(user: SaslUser): void {
  if (!SAFE_CREDENTIAL.test(user.name) || !SAFE_CREDENTIAL.test(user.password)) {
    throw new Error(`SASL user "${user.name}": name and password must match ${SAFE_CREDENTIAL.source}`);
  }
}

/** Renders one node's server.properties: combined broker+controller (KRaft), static voters. */
export function renderServerProperties(input: NodeConfigInput): string {
  const { ports, advertised } = input;
  const loopback = '127.0.0.1';
  const n = LISTENER_NAMES;
  input.plainUsers.forEach(validateUser);
  const plainUsers = input.plainUsers.map((user) => ` user_${user.name}="${user.password}"`).join('');
  // Internal topics cannot be more replicated than there are brokers; 3 is Kafka's production default.
  const rf = String(Math.min(3, input.clusterSize));
  const minIsr = String(Math.min(2, input.clusterSize));
  const props: Record<string, string> = {
    'process.roles': 'broker,controller',
    'node.id': String(input.nodeId),
    // Static voters (KIP-595) rather than a dynamic quorum: every node knows the whole quorum up
    // front, which is what a fixed N-node test cluster wants.
    'controller.quorum.voters': input.voters.map((v) => `${v.nodeId}@${loopback}:${v.controllerPort}`).join(','),
    listeners: [
      `${n.internal}://${loopback}:${ports.internal}`,
      `${n.plaintext}://${loopback}:${ports.plaintext}`,
      `${n.sasl}://${loopback}:${ports.sasl}`,
      `${n.controller}://${loopback}:${ports.controller}`,
    ].join(','),
    'advertised.listeners': [
      `${n.internal}://${loopback}:${ports.internal}`,
      `${n.plaintext}://${advertised.plaintext.host}:${advertised.plaintext.port}`,
      `${n.sasl}://${advertised.sasl.host}:${advertised.sasl.port}`,
    ].join(','),
    'listener.security.protocol.map': `${n.internal}:PLAINTEXT,${n.plaintext}:PLAINTEXT,${n.sasl}:SASL_PLAINTEXT,${n.controller}:PLAINTEXT`,
    'inter.broker.listener.name': n.internal,
    'controller.listener.names': n.controller,
    'sasl.enabled.mechanisms': SASL_MECHANISMS.join(','),
    [`listener.name.${n.sasl.toLowerCase()}.plain.sasl.jaas.config`]: `org.apache.kafka.common.security.plain.PlainLoginModule required${plainUsers};`,
    [`listener.name.${n.sasl.toLowerCase()}.scram-sha-256.sasl.jaas.config`]: 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    [`listener.name.${n.sasl.toLowerCase()}.scram-sha-512.sasl.jaas.config`]: 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
    'log.dirs': input.logDir,
    'num.partitions': '1',
    'default.replication.factor': rf,
    'offsets.topic.replication.factor': rf,
    'offsets.topic.num.partitions': '3',
    'transaction.state.log.replication.factor': rf,
    'transaction.state.log.min.isr': minIsr,
    'transaction.state.log.num.partitions': '3',
    'share.coordinator.state.topic.replication.factor': rf,
    'share.coordinator.state.topic.min.isr': minIsr,
    // Tests want a group to form at once, not after Kafka's default 3 s grace period.
    'group.initial.rebalance.delay.ms': '0',
    'auto.create.topics.enable': 'true',
    'log.segment.bytes': String(16 * 1024 * 1024),
    ...input.overrides,
  };
  return Object.entries(props)
    .map(([key, value]) => `${key}=${escapeValue(value)}`)
    .join('\n')
    .concat('\n');
}

/** java.util.Properties treats backslash as an escape; Windows-style paths would need doubling. */
function escapeValue(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

/** `--add-scram` arguments for StorageTool: SCRAM credentials must exist in the bootstrap metadata (KIP-900). */
export function scramFormatArgs(users: readonly SaslUser[]): string[] {
  return users.flatMap((user) => {
    validateUser(user);
    return ['SCRAM-SHA-256', 'SCRAM-SHA-512'].flatMap((mechanism) => [
      '--add-scram',
      `${mechanism}=[name=${user.name},password=${user.password}]`,
    ]);
  });
}

/** log4j2 configuration: the broker logs at INFO into its own directory, not onto our stdout. */
export function renderLog4j2Properties(logFile: string): string {
  return [
    'rootLogger.level=INFO',
    'rootLogger.appenderRef.file.ref=file',
    'appender.file.type=File',
    'appender.file.name=file',
    `appender.file.fileName=${logFile}`,
    'appender.file.layout.type=PatternLayout',
    'appender.file.layout.pattern=[%d] %p %m (%c)%n',
    '',
  ].join('\n');
}
