// Kafka wire codes of config resources, sources and types (DescribeConfigs, AlterConfigs,
// IncrementalAlterConfigs; KIP-226, KIP-339, KIP-569), and their stratus.metadata.v1 twins.
import { metadataV1 } from '@stratus/contracts';

/** ConfigResource.Type on the wire. */
export const RESOURCE_TYPE = { TOPIC: 2, BROKER: 4, CLIENT_METRICS: 16, BROKER_LOGGER: 8, GROUP: 32 } as const;

/** DescribeConfigs ConfigSource on the wire. */
export const CONFIG_SOURCE = {
  UNKNOWN: 0,
  DYNAMIC_TOPIC_CONFIG: 1,
  DYNAMIC_BROKER_CONFIG: 2,
  DYNAMIC_DEFAULT_BROKER_CONFIG: 3,
  STATIC_BROKER_CONFIG: 4,
  DEFAULT_CONFIG: 5,
  DYNAMIC_BROKER_LOGGER_CONFIG: 6,
  CLIENT_METRICS_CONFIG: 7,
  GROUP_CONFIG: 8,
} as const;

/** DescribeConfigs v3+ ConfigType on the wire (KIP-569). */
export const CONFIG_TYPE = { UNKNOWN: 0, BOOLEAN: 1, STRING: 2, INT: 3, SHORT: 4, LONG: 5, DOUBLE: 6, LIST: 7, CLASS: 8, PASSWORD: 9 } as const;

/** IncrementalAlterConfigs operation on the wire (KIP-339). */
export const WIRE_ALTER_OP = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

const SOURCE_TO_WIRE = new Map<metadataV1.ConfigSource, number>([
  [metadataV1.ConfigSource.DYNAMIC_TOPIC_CONFIG, CONFIG_SOURCE.DYNAMIC_TOPIC_CONFIG],
  [metadataV1.ConfigSource.DYNAMIC_BROKER_CONFIG, CONFIG_SOURCE.DYNAMIC_BROKER_CONFIG],
  [metadataV1.ConfigSource.DYNAMIC_DEFAULT_BROKER_CONFIG, CONFIG_SOURCE.DYNAMIC_DEFAULT_BROKER_CONFIG],
  [metadataV1.ConfigSource.STATIC_BROKER_CONFIG, CONFIG_SOURCE.STATIC_BROKER_CONFIG],
  [metadataV1.ConfigSource.DEFAULT_CONFIG, CONFIG_SOURCE.DEFAULT_CONFIG],
  [metadataV1.ConfigSource.DYNAMIC_BROKER_LOGGER_CONFIG, CONFIG_SOURCE.DYNAMIC_BROKER_LOGGER_CONFIG],
  [metadataV1.ConfigSource.CLIENT_METRICS_CONFIG, CONFIG_SOURCE.CLIENT_METRICS_CONFIG],
  [metadataV1.ConfigSource.GROUP_CONFIG, CONFIG_SOURCE.GROUP_CONFIG],
]);

const TYPE_TO_WIRE = new Map<metadataV1.ConfigType, number>([
  [metadataV1.ConfigType.BOOLEAN, CONFIG_TYPE.BOOLEAN],
  [metadataV1.ConfigType.STRING, CONFIG_TYPE.STRING],
  [metadataV1.ConfigType.INT, CONFIG_TYPE.INT],
  [metadataV1.ConfigType.SHORT, CONFIG_TYPE.SHORT],
  [metadataV1.ConfigType.LONG, CONFIG_TYPE.LONG],
  [metadataV1.ConfigType.DOUBLE, CONFIG_TYPE.DOUBLE],
  [metadataV1.ConfigType.LIST, CONFIG_TYPE.LIST],
  [metadataV1.ConfigType.CLASS, CONFIG_TYPE.CLASS],
  [metadataV1.ConfigType.PASSWORD, CONFIG_TYPE.PASSWORD],
]);

export function configSourceToWire(source: metadataV1.ConfigSource): number {
  return SOURCE_TO_WIRE.get(source) ?? CONFIG_SOURCE.UNKNOWN;
}

export function configTypeToWire(type: metadataV1.ConfigType): number {
  return TYPE_TO_WIRE.get(type) ?? CONFIG_TYPE.UNKNOWN;
}

const OP_FROM_WIRE = new Map<number, metadataV1.AlterConfigOp>([
  [WIRE_ALTER_OP.SET, metadataV1.AlterConfigOp.SET],
  [WIRE_ALTER_OP.DELETE, metadataV1.AlterConfigOp.DELETE],
  [WIRE_ALTER_OP.APPEND, metadataV1.AlterConfigOp.APPEND],
  [WIRE_ALTER_OP.SUBTRACT, metadataV1.AlterConfigOp.SUBTRACT],
]);

/** undefined for an operation Kafka does not define. */
export function alterOpFromWire(op: number): metadataV1.AlterConfigOp | undefined {
  return OP_FROM_WIRE.get(op);
}
