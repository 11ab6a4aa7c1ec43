// Routing of the classic protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) and KIP-848's
// ConsumerGroupHeartbeat: one group each, forwarded whole.
import type {
  ConsumerGroupHeartbeatRequest,
  ConsumerGroupHeartbeatResponse,
  HeartbeatRequest,
  HeartbeatResponse,
  JoinGroupRequest,
  JoinGroupResponse,
  LeaveGroupRequest,
  LeaveGroupResponse,
  SyncGroupRequest,
  SyncGroupResponse,
} from '@stratus/kafka-messages';
import type { SingleGroupApi } from './single-group';

export const joinGroup: SingleGroupApi<JoinGroupRequest, JoinGroupResponse> = {
  apiKey: 11,
  name: 'JoinGroup',
  minVersion: 0,
  maxVersion: 9,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (r, errorCode, version) => ({
    throttleTimeMs: 0,
    errorCode,
    generationId: -1,
    protocolType: null,
    protocolName: version >= 7 ? null : '',
    leader: '',
    skipAssignment: false,
    memberId: r.memberId,
    members: [],
  }),
  // The join phase may last the whole rebalance timeout (v0: the session timeout).
  timeoutMs: (r, deps) => Math.max(r.rebalanceTimeoutMs ?? -1, r.sessionTimeoutMs) + deps.longPollMarginMs,
};

export const syncGroup: SingleGroupApi<SyncGroupRequest, SyncGroupResponse> = {
  apiKey: 14,
  name: 'SyncGroup',
  minVersion: 0,
  maxVersion: 5,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (_r, errorCode) => ({ throttleTimeMs: 0, errorCode, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) }),
  // A follower waits for the leader's assignment (bounded by the group's rebalance timeout on the broker).
  timeoutMs: (_r, deps) => deps.syncWaitMs + deps.longPollMarginMs,
};

export const heartbeat: SingleGroupApi<HeartbeatRequest, HeartbeatResponse> = {
  apiKey: 12,
  name: 'Heartbeat',
  minVersion: 0,
  maxVersion: 4,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (_r, errorCode) => ({ throttleTimeMs: 0, errorCode }),
};

export const leaveGroup: SingleGroupApi<LeaveGroupRequest, LeaveGroupResponse> = {
  apiKey: 13,
  name: 'LeaveGroup',
  minVersion: 0,
  maxVersion: 5,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (_r, errorCode) => ({ throttleTimeMs: 0, errorCode, members: [] }),
};

export const consumerGroupHeartbeat: SingleGroupApi<ConsumerGroupHeartbeatRequest, ConsumerGroupHeartbeatResponse> = {
  apiKey: 68,
  name: 'ConsumerGroupHeartbeat',
  minVersion: 0,
  maxVersion: 1,
  groupId: (r) => r.groupId,
  withGroupId: (r, groupId) => ({ ...r, groupId }),
  errorResponse: (r, errorCode) => ({ throttleTimeMs: 0, errorCode, errorMessage: null, memberId: r.memberId, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null }),
};
