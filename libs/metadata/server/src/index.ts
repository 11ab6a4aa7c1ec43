export { createMetadataService, NOT_YET_SERVED, type MetadataServiceOptions } from './service';
export { topicIdFromBytes, topicIdToBytes } from './convert';
export { toGrpcError } from './rpc';
export { MutationQuotas, MUTATION_BURST_SECONDS, type MutationQuotaOptions, type TenantMutationQuota } from './quota/mutation-quota';
