// The tenant's view of "broker" configs and the synonyms of topic configs (DescribeConfigs,
// KIP-226). A tenant's logical cluster has no brokers of its own to configure: what it sees as
// broker configs are the cluster defaults its topics inherit, all read-only. Each topic config has
// the broker-level synonym Kafka gives it (Kafka's LogConfig), so admin tools that follow synonyms
// to explain where a value comes from find the same chain as on Kafka.
import { metadataV1 } from '@stratus/contracts';
import { REPLICATION_FACTOR, TOPIC_CONFIG_DEFS, type ConfigDef } from '@stratus/metadata-model';

/** Topic config → the broker config that supplies its default. */
export const BROKER_SYNONYM: ReadonlyMap<string, string> = new Map([
  ['cleanup.policy', 'log.cleanup.policy'],
  ['retention.ms', 'log.retention.ms'],
  ['retention.bytes', 'log.retention.bytes'],
  ['local.retention.ms', 'log.local.retention.ms'],
  ['local.retention.bytes', 'log.local.retention.bytes'],
  ['segment.bytes', 'log.segment.bytes'],
  ['segment.ms', 'log.roll.ms'],
  ['max.message.bytes', 'message.max.bytes'],
  ['message.timestamp.type', 'log.message.timestamp.type'],
  ['min.insync.replicas', 'min.insync.replicas'],
  ['compression.type', 'compression.type'],
]);

const TYPE: Record<ConfigDef['type'], metadataV1.ConfigType> = {
  int: metadataV1.ConfigType.INT,
  long: metadataV1.ConfigType.LONG,
  enum: metadataV1.ConfigType.STRING,
  list: metadataV1.ConfigType.LIST,
};

export function configTypeOf(def: ConfigDef | undefined): metadataV1.ConfigType {
  return def ? TYPE[def.type] : metadataV1.ConfigType.STRING;
}

/** DescribeConfigs synonyms of a topic config entry: its own override first, then the broker default. */
export function topicSynonyms(entry: metadataV1.ConfigEntry): metadataV1.ConfigSynonym[] {
  const def = TOPIC_CONFIG_DEFS.get(entry.name);
  const broker = BROKER_SYNONYM.get(entry.name);
  const out: metadataV1.ConfigSynonym[] = [];
  if (entry.source === metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG) out.push({ name: entry.name, value: entry.value, source: entry.source });
  if (def && broker) out.push({ name: broker, value: def.defaultValue, source: metadataV1.ConfigSource.DEFAULT_CONFIG });
  return out;
}

interface BrokerConfig {
  readonly name: string;
  readonly value: string;
  readonly type: metadataV1.ConfigType;
  readonly doc: string;
}

/** Cluster-level settings without a topic config of their own. */
const CLUSTER_ONLY: readonly BrokerConfig[] = [
  { name: 'default.replication.factor', value: String(REPLICATION_FACTOR), type: metadataV1.ConfigType.INT, doc: 'Replicas of every partition: one per availability zone.' },
  { name: 'num.partitions', value: '1', type: metadataV1.ConfigType.INT, doc: 'Partitions of a topic created without a partition count.' },
];

function brokerConfigs(): BrokerConfig[] {
  const fromTopics = [...BROKER_SYNONYM].flatMap(([topicName, brokerName]) => {
    const def = TOPIC_CONFIG_DEFS.get(topicName);
    return def ? [{ name: brokerName, value: def.defaultValue, type: TYPE[def.type], doc: def.doc }] : [];
  });
  return [...fromTopics, ...CLUSTER_ONLY].sort((a, b) => a.name.localeCompare(b.name));
}

/** DescribeConfigs for a BROKER resource: read-only defaults; names not known are left out, as Kafka does. */
export function describeBrokerConfigs(options: { names: readonly string[]; includeSynonyms: boolean; includeDocumentation: boolean }): metadataV1.ConfigEntry[] {
  const wanted = options.names.length > 0 ? new Set(options.names) : undefined;
  return brokerConfigs()
    .filter((c) => !wanted || wanted.has(c.name))
    .map((c) => ({
      name: c.name,
      value: c.value,
      readOnly: true,
      source: metadataV1.ConfigSource.DEFAULT_CONFIG,
      sensitive: false,
      synonyms: options.includeSynonyms ? [{ name: c.name, value: c.value, source: metadataV1.ConfigSource.DEFAULT_CONFIG }] : [],
      type: c.type,
      documentation: options.includeDocumentation ? c.doc : '',
    }));
}
