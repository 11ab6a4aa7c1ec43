// @stratus/router-admin-handlers: the Kafka admin APIs of the router (CreateTopics, DeleteTopics,
// CreatePartitions, DescribeConfigs, AlterConfigs, IncrementalAlterConfigs, DescribeLogDirs),
// backed by the metadata service (issue 8 item 6).
export { adminHandlers, ADMIN_HANDLER_DEFAULTS, type AdminHandlersOptions } from './admin-handlers';
export { translateMetadataError, type AdminMetadataClient, type TranslatedError, type UnavailableAs } from './metadata-call';
export { checkReplicationFactor, STRATUS_REPLICATION_FACTOR } from './replication-factor';
