// Routing of OffsetCommit, OffsetDelete and single-group OffsetFetch (v1-7).
import type { OffsetCommitRequest, OffsetCommitResponse, OffsetDeleteRequest, OffsetDeleteResponse, OffsetFetchRequest, OffsetFetchResponse } from '@stratus/kafka-messages';
import type { SingleGroupApi } from './single-group';

export const offsetCommit: SingleGroupApi<OffsetCommitRequest, OffsetCommitResponse> = {
  apiKey: 8,
  name: 'OffsetCommit',
  minVersion: 2,
  maxVersion: 10,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (r, errorCode) => ({
    throttleTimeMs: 0,
    topics: r.topics.map((t) => ({ name: t.name ?? '', ...(t.topicId !== undefined ? { topicId: t.topicId } : {}), partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  }),
};

export const offsetDelete: SingleGroupApi<OffsetDeleteRequest, OffsetDeleteResponse> = {
  apiKey: 47,
  name: 'OffsetDelete',
  minVersion: 0,
  maxVersion: 0,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (_r, errorCode) => ({ errorCode, throttleTimeMs: 0, topics: [] }),
};

/** OffsetFetch v1-7 (one group); v8+ is the multi-group handler. */
export const offsetFetchSingle: SingleGroupApi<OffsetFetchRequest, OffsetFetchResponse> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 1,
  maxVersion: 7,
  groupId: (r) => r.groupId ?? '',
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (r, errorCode, version) => ({
    throttleTimeMs: 0,
    errorCode,
    // v1 has no top-level error code: the error goes on every requested partition.
    topics:
      version < 2
        ? (r.topics ?? []).map((t) => ({ name: t.name, partitions: t.partitionIndexes.map((p) => ({ partitionIndex: p, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode })) }))
        : [],
    groups: [],
  }),
};
