// Tiered reads: record batches from object-store segments through a bounded local disk cache.
export { ChunkCache, CorruptChunkError, type ChunkRef, type ChunkCacheOptions, type ChunkCacheStats } from './chunk-cache';
export { TieredReader, type TieredReaderOptions, type ManifestReader, type PartitionKey, type TieredFetchRequest, type TieredFetchResult } from './tiered-reader';
export { offsetForTimestamp, type SegmentByteReader, type TimestampLookupResult } from './timestamp-lookup';
