// Tiered-storage uploader: sealed segments from replication nodes to the object store, recorded
// in the metadata segment manifest.
export { segmentId, segmentObjectKey, partitionPrefix, type SegmentAddress, type SegmentIdentity } from './layout';
export { BatchScanner, type ScannedChunk } from './batch-scanner';
export { MemorySegmentSource, type FakeSegment } from './memory-source';
export { SegmentSourceError, type PartitionKey, type SegmentSource, type SegmentStreamEvent, type SegmentManifest, type ManifestView } from './ports';
export { GrpcSegmentSource, GrpcSegmentManifest } from './grpc-ports';
export { uploadSegment, SegmentVerificationError, DEFAULT_UPLOAD_CHUNK_BYTES, type UploadSegmentOptions } from './upload-segment';
export { uploadPartitionPass, type UploadPartitionOptions, type UploadPassResult, type TieringLag } from './upload-partition';
export { applyRetention, expiredSegments, type RetentionPolicy, type RetentionOptions, type RetentionResult } from './retention';
export { deletePartitionData, trimPartitionData, type DeletedSegments } from './delete-partition';
export { MemorySegmentManifest } from './memory-manifest';
