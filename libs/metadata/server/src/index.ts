export { createMetadataService, NOT_YET_SERVED } from './service';
export { topicIdFromBytes, topicIdToBytes } from './convert';
export { toGrpcError } from './rpc';
