// The multi-group APIs as MultiGroupApi definitions.
import type {
  ConsumerGroupDescribeRequest,
  ConsumerGroupDescribeResponse,
  DeleteGroupsRequest,
  DeleteGroupsResponse,
  DescribeGroupsRequest,
  DescribeGroupsResponse,
  OffsetFetchRequest,
  OffsetFetchResponse,
} from '@stratus/kafka-messages';
import type { MultiGroupApi } from './multi-group';

/** KIP-430: authorised operations not requested (INT32_MIN). */
const OPERATIONS_NOT_REQUESTED = -2147483648;

/**
 * KIP-430 bits of READ (3), DELETE (6) and DESCRIBE (8), the operations a GROUP reports: what a
 * principal may do when the tenant has no ACLs. With ACLs the router's guard (@stratus/router-acls)
 * replaces this with the principal's own set; brokers never compute it (they know no ACLs).
 */
const GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

/** Kafka fills the field only for groups described without error, and only when asked. */
function withGroupOperations<G extends { errorCode: number; authorizedOperations?: number }>(groups: G[], requested: boolean | undefined): G[] {
  if (requested !== true) return groups;
  return groups.map((g) => (g.errorCode === 0 ? { ...g, authorizedOperations: GROUP_OPERATIONS } : g));
}

type FetchGroup = NonNullable<OffsetFetchRequest['groups']>[number];
type FetchResult = NonNullable<OffsetFetchResponse['groups']>[number];

/** OffsetFetch v8+ (KIP-709: many groups per request). */
export const offsetFetchMulti: MultiGroupApi<OffsetFetchRequest, OffsetFetchResponse, FetchGroup, FetchResult> = {
  apiKey: 9,
  name: 'OffsetFetch',
  minVersion: 8,
  maxVersion: 10,
  items: (r) => r.groups ?? [],
  groupId: (g) => g.groupId,
  withGroupId: (g, groupId) => ({ ...g, groupId }),
  request: (r, groups) => ({ ...r, groups }),
  results: (r) => r.groups ?? [],
  withResultGroupId: (g, groupId) => ({ ...g, groupId }),
  errorResult: (groupId, errorCode) => ({ groupId, errorCode, topics: [] }),
  response: (_r, groups) => ({ throttleTimeMs: 0, topics: [], errorCode: 0, groups }),
};

type DescribedGroup = DescribeGroupsResponse['groups'][number];

export const describeGroups: MultiGroupApi<DescribeGroupsRequest, DescribeGroupsResponse, string, DescribedGroup> = {
  apiKey: 15,
  name: 'DescribeGroups',
  minVersion: 0,
  maxVersion: 6,
  items: (r) => r.groups,
  groupId: (g) => g,
  withGroupId: (_g, groupId) => groupId,
  request: (r, groups) => ({ ...r, groups }),
  results: (r) => r.groups,
  withResultGroupId: (g, groupId) => ({ ...g, groupId }),
  errorResult: (groupId, errorCode) => ({ errorCode, errorMessage: null, groupId, groupState: '', protocolType: '', protocolData: '', members: [], authorizedOperations: OPERATIONS_NOT_REQUESTED }),
  // include_authorized_operations exists from v3; older requests decode without it.
  response: (r, groups) => ({ throttleTimeMs: 0, groups: withGroupOperations(groups, r.includeAuthorizedOperations) }),
};

type ConsumerDescribed = ConsumerGroupDescribeResponse['groups'][number];

export const consumerGroupDescribe: MultiGroupApi<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse, string, ConsumerDescribed> = {
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  minVersion: 0,
  maxVersion: 1,
  items: (r) => r.groupIds,
  groupId: (g) => g,
  withGroupId: (_g, groupId) => groupId,
  request: (r, groupIds) => ({ ...r, groupIds }),
  results: (r) => r.groups,
  withResultGroupId: (g, groupId) => ({ ...g, groupId }),
  errorResult: (groupId, errorCode) => ({
    errorCode,
    errorMessage: null,
    groupId,
    groupState: '',
    groupEpoch: -1,
    assignmentEpoch: -1,
    assignorName: '',
    members: [],
    authorizedOperations: OPERATIONS_NOT_REQUESTED,
  }),
  response: (r, groups) => ({ throttleTimeMs: 0, groups: withGroupOperations(groups, r.includeAuthorizedOperations) }),
};

type DeleteResult = DeleteGroupsResponse['results'][number];

export const deleteGroups: MultiGroupApi<DeleteGroupsRequest, DeleteGroupsResponse, string, DeleteResult> = {
  apiKey: 42,
  name: 'DeleteGroups',
  minVersion: 0,
  maxVersion: 3,
  items: (r) => r.groupsNames,
  groupId: (g) => g,
  withGroupId: (_g, groupId) => groupId,
  request: (r, groupsNames) => ({ ...r, groupsNames }),
  results: (r) => r.results,
  withResultGroupId: (g, groupId) => ({ ...g, groupId }),
  errorResult: (groupId, errorCode) => ({ groupId, errorCode, errorMessage: null }),
  response: (_r, results) => ({ throttleTimeMs: 0, results }),
};
