export * from './generated';
export type { ApiCodec, ApiTableEntry, MessageCodec, UnservedApi } from './api-types';
export type { FieldSchema, MessageSchema, MessageVersions, SchemaRange, SchemaType, StructSchema } from './runtime';
export { advertisedApis, apiEntry, isFlexibleVersion, requestHeaderVersionFor, responseHeaderVersionFor, type AdvertisedApi } from './api-versions';
