export { startKafkaListener, KAFKA_LISTENER_DEFAULTS, type KafkaListener, type KafkaListenerOptions } from './listener';
export type { ApiHandler, HandlerResult, HandlerViolation, ListenerInfo, RequestContext } from './handlers/handler';
export type { CredentialSource, ScramLookup } from './credentials/credential-source';
export { InMemoryCredentialSource, type InMemoryUser } from './credentials/in-memory-credential-source';
export { CredentialSourceUnavailableError } from './credentials/credential-source-unavailable';
export {
  MetadataCredentialSource,
  DEFAULT_CREDENTIAL_LOOKUP_TIMEOUT_MS,
  type MetadataCredentialClient,
  type MetadataCredentialSourceOptions,
} from './credentials/metadata-credential-source';
export { CachingCredentialSource, type CachingCredentialSourceOptions } from './credentials/caching-credential-source';
export { watchRevocations, type Invalidatable, type RevocationWatch } from './credentials/revocation-watch';
export { MIN_SCRAM_ITERATIONS, type ScramCredential } from '@stratus/kafka-scram';
export { MemoryBudget } from './connection/memory-budget';
export { withThrottle, type QuotaPolicy, type ConnectionAdmission } from './connection/quota-policy';
export { tenantId, ALL_SASL_MECHANISMS, type Principal, type SaslMechanism, type ScramMechanism, type TenantId } from './types';
export { kafkaListenerConfigShape, kafkaListenerOptionsFromConfig, type KafkaListenerConfig } from './config';
export { clusterMetadataHandler, type ClusterMetadataHandlerOptions } from './handlers/metadata-cluster';
export type { ViewReadiness } from './handlers/metadata-topics';
export { MetadataTopicAutoCreator, AUTO_CREATE_TOPICS_LABEL, type TopicAutoCreator, type MetadataTopicAutoCreatorOptions } from './handlers/metadata-auto-create';
export { describeClusterHandler } from './handlers/describe-cluster';
export { describeTopicPartitionsHandler, MAX_RESPONSE_PARTITIONS } from './handlers/describe-topic-partitions';
export { findCoordinatorHandler } from './handlers/find-coordinator';
