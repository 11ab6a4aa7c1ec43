// What the suite runs against: a Stratus local cluster (the default) or real Apache Kafka (KRaft,
// SASL/SCRAM), which proves the drivers right so a failure against Stratus is Stratus's.
import { DEFAULT_USERS, startKafkaCluster } from '@stratus/kafka-reference';
import { launchLocalCluster } from '../../local-cluster/src/launch.testkit';
import type { Connection } from './protocol';

export type TargetKind = 'stratus' | 'kafka';

export interface Target {
  readonly kind: TargetKind;
  readonly description: string;
  readonly connection: Connection;
  stop(): Promise<void>;
}

export function targetKindFromEnv(value: string | undefined): TargetKind {
  if (value === undefined || value === '' || value === 'stratus') return 'stratus';
  if (value === 'kafka') return 'kafka';
  throw new Error(`COMPAT_TARGET must be "stratus" or "kafka", not "${value}"`);
}

export async function startTarget(kind: TargetKind): Promise<Target> {
  if (kind === 'kafka') {
    // Three partitions on one node: the group-of-3 scenario needs partitions, not brokers.
    const cluster = await startKafkaCluster({ nodes: 1, brokerConfig: { 'num.partitions': '3' } });
    const user = DEFAULT_USERS[0] ?? { name: 'stratus', password: 'stratus-secret' };
    return {
      kind,
      description: `Apache Kafka ${cluster.version} (KRaft, 1 node)`,
      connection: { bootstrap: cluster.bootstrap('sasl'), mechanism: 'SCRAM-SHA-256', username: user.name, password: user.password },
      stop: () => cluster.stop(),
    };
  }
  const cluster = await launchLocalCluster('compat');
  const credentials = cluster.credentials();
  return {
    kind,
    description: 'Stratus local cluster (tools/local-cluster)',
    connection: { bootstrap: credentials.bootstrap, mechanism: credentials.saslMechanism, username: credentials.username, password: credentials.password },
    stop: async () => {
      cluster.child.kill('SIGTERM');
      await cluster.exited;
    },
  };
}
