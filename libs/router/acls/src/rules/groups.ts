// Group APIs, with Kafka's required operations: READ on the group to join, sync, heartbeat,
// leave or commit; DESCRIBE on the group to describe it or fetch its offsets; DELETE to delete it
// or its offsets; the topics of OffsetCommit need READ, of OffsetFetch DESCRIBE, of OffsetDelete READ.
import type {
  ConsumerGroupDescribeRequest,
  ConsumerGroupHeartbeatRequest,
  DeleteGroupsRequest,
  DescribeGroupsRequest,
  FindCoordinatorRequest,
  HeartbeatRequest,
  JoinGroupRequest,
  LeaveGroupRequest,
  ListGroupsResponse,
  OffsetCommitRequest,
  OffsetDeleteRequest,
  OffsetFetchRequest,
  OffsetFetchResponse,
  SyncGroupRequest,
} from '@stratus/kafka-messages';
import { GROUP_DENIED, TOPIC_DENIED, TXN_DENIED, answer, appendTo, clusterAllowed, pass, split, type AccessCheck, type RuleOutcome } from './rule';

const readGroup = (check: AccessCheck, id: string) => check.allowed('READ', 'GROUP', id);

export function joinGroupRule(request: JoinGroupRequest, check: AccessCheck): RuleOutcome {
  if (readGroup(check, request.groupId)) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: GROUP_DENIED, generationId: -1, protocolType: null, protocolName: null, leader: '', skipAssignment: false, memberId: request.memberId, members: [] });
}

export function syncGroupRule(request: SyncGroupRequest, check: AccessCheck): RuleOutcome {
  if (readGroup(check, request.groupId)) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: GROUP_DENIED, protocolType: null, protocolName: null, assignment: Buffer.alloc(0) });
}

export function heartbeatRule(request: HeartbeatRequest, check: AccessCheck): RuleOutcome {
  return readGroup(check, request.groupId) ? pass(request) : answer({ throttleTimeMs: 0, errorCode: GROUP_DENIED });
}

export function leaveGroupRule(request: LeaveGroupRequest, check: AccessCheck): RuleOutcome {
  return readGroup(check, request.groupId) ? pass(request) : answer({ throttleTimeMs: 0, errorCode: GROUP_DENIED, members: [] });
}

export function consumerGroupHeartbeatRule(request: ConsumerGroupHeartbeatRequest, check: AccessCheck): RuleOutcome {
  if (readGroup(check, request.groupId)) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: GROUP_DENIED, errorMessage: null, memberId: null, memberEpoch: -1, heartbeatIntervalMs: 0, assignment: null });
}

/** OffsetCommit: READ on the group (else every partition GROUP_AUTHORIZATION_FAILED), READ per topic. */
export function offsetCommitRule(request: OffsetCommitRequest, check: AccessCheck): RuleOutcome {
  const groupOk = readGroup(check, request.groupId);
  const { kept, denied } = groupOk ? split(request.topics, (t) => t.name === undefined || t.name === '' || check.allowed('READ', 'TOPIC', t.name)) : { kept: [], denied: request.topics };
  const code = groupOk ? TOPIC_DENIED : GROUP_DENIED;
  const errors = denied.map((t) => ({ name: t.name, topicId: t.topicId, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: code })) }));
  if (!groupOk) return answer({ throttleTimeMs: 0, topics: errors });
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

/** OffsetDelete: DELETE on the group (top-level error), READ per topic. */
export function offsetDeleteRule(request: OffsetDeleteRequest, check: AccessCheck): RuleOutcome {
  if (!check.allowed('DELETE', 'GROUP', request.groupId)) return answer({ errorCode: GROUP_DENIED, throttleTimeMs: 0, topics: [] });
  const { kept, denied } = split(request.topics, (t) => check.allowed('READ', 'TOPIC', t.name));
  const errors = denied.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode: TOPIC_DENIED })) }));
  return pass({ ...request, topics: kept }, appendTo('topics', errors));
}

type FetchTopic = { name?: string; partitions: Array<{ partitionIndex: number }> };

/** Unauthorized topics of a full-group fetch are left out, as Kafka does. */
function visibleTopics<T extends { name?: string }>(topics: readonly T[] | undefined, check: AccessCheck): T[] {
  return (topics ?? []).filter((t) => t.name === undefined || check.allowed('DESCRIBE', 'TOPIC', t.name));
}

function partitionErrors(name: string | undefined, indexes: readonly number[], code: number) {
  return { name, partitions: indexes.map((partitionIndex) => ({ partitionIndex, committedOffset: -1n, committedLeaderEpoch: -1, metadata: '', errorCode: code })) };
}

/**
 * OffsetFetch: DESCRIBE on each group, DESCRIBE per topic. v0-7 name one group (top-level error
 * from v2; per partition before); v8+ a list of groups, each answered on its own.
 */
export function offsetFetchRule(request: OffsetFetchRequest, check: AccessCheck): RuleOutcome {
  if (request.groups !== undefined && request.groups.length > 0 && check.apiVersion >= 8) {
    const deniedGroups = new Set<string>();
    const deniedTopics = new Map<string, Array<{ name?: string; partitionIndexes: number[] }>>();
    const groups = request.groups.map((g) => {
      if (!check.allowed('DESCRIBE', 'GROUP', g.groupId)) {
        deniedGroups.add(g.groupId);
        return { ...g, topics: [] };
      }
      if (g.topics === null) return g;
      const { kept, denied } = split(g.topics, (t) => t.name === undefined || t.name === '' || check.allowed('DESCRIBE', 'TOPIC', t.name));
      deniedTopics.set(g.groupId, denied);
      return { ...g, topics: kept };
    });
    const complete = (raw: unknown) => {
      const r = raw as OffsetFetchResponse;
      return {
        ...r,
        groups: (r.groups ?? []).map((g) => {
          if (deniedGroups.has(g.groupId)) return { groupId: g.groupId, topics: [], errorCode: GROUP_DENIED };
          const requestedAll = request.groups?.find((x) => x.groupId === g.groupId)?.topics === null;
          const topics = requestedAll ? visibleTopics(g.topics as FetchTopic[], check) : [...g.topics, ...(deniedTopics.get(g.groupId) ?? []).map((t) => partitionErrors(t.name, t.partitionIndexes, TOPIC_DENIED))];
          return { ...g, topics };
        }),
      };
    };
    return pass({ ...request, groups }, complete);
  }
  const groupId = request.groupId ?? '';
  const requested = request.topics ?? null;
  if (!check.allowed('DESCRIBE', 'GROUP', groupId)) {
    // From v2 the top-level error says it; v0-1 clients read only the partitions.
    const topics = check.apiVersion >= 2 ? [] : (requested ?? []).map((t) => partitionErrors(t.name, t.partitionIndexes, GROUP_DENIED));
    return answer({ throttleTimeMs: 0, topics, errorCode: GROUP_DENIED, groups: [] });
  }
  if (requested === null) {
    return pass(request, (raw) => {
      const r = raw as OffsetFetchResponse;
      return { ...r, topics: visibleTopics(r.topics, check) };
    });
  }
  const { kept, denied } = split(requested, (t) => check.allowed('DESCRIBE', 'TOPIC', t.name));
  return pass({ ...request, topics: kept }, appendTo('topics', denied.map((t) => partitionErrors(t.name, t.partitionIndexes, TOPIC_DENIED))));
}

const describedGroupDenied = (groupId: string) => ({
  errorCode: GROUP_DENIED,
  errorMessage: null,
  groupId,
  groupState: '',
  protocolType: '',
  protocolData: '',
  members: [],
  authorizedOperations: -2147483648,
});

export function describeGroupsRule(request: DescribeGroupsRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.groups, (g) => check.allowed('DESCRIBE', 'GROUP', g));
  return pass({ ...request, groups: kept }, appendTo('groups', denied.map(describedGroupDenied)));
}

export function consumerGroupDescribeRule(request: ConsumerGroupDescribeRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.groupIds, (g) => check.allowed('DESCRIBE', 'GROUP', g));
  const errors = denied.map((groupId) => ({
    errorCode: GROUP_DENIED,
    errorMessage: null,
    groupId,
    groupState: '',
    groupEpoch: -1,
    assignmentEpoch: -1,
    assignorName: '',
    members: [],
    authorizedOperations: -2147483648,
  }));
  return pass({ ...request, groupIds: kept }, appendTo('groups', errors));
}

/** ListGroups: everything with DESCRIBE on the cluster, else only groups the user may DESCRIBE. */
export function listGroupsRule(request: unknown, check: AccessCheck): RuleOutcome {
  if (clusterAllowed(check, 'DESCRIBE')) return pass(request);
  return pass(request, (raw) => {
    const r = raw as ListGroupsResponse;
    return { ...r, groups: r.groups.filter((g) => check.allowed('DESCRIBE', 'GROUP', g.groupId)) };
  });
}

export function deleteGroupsRule(request: DeleteGroupsRequest, check: AccessCheck): RuleOutcome {
  const { kept, denied } = split(request.groupsNames, (g) => check.allowed('DELETE', 'GROUP', g));
  return pass({ ...request, groupsNames: kept }, appendTo('results', denied.map((groupId) => ({ groupId, errorCode: GROUP_DENIED, errorMessage: null }))));
}

/** FindCoordinator: DESCRIBE on the group (key type 0) or transactional id (key type 1). */
export function findCoordinatorRule(request: FindCoordinatorRequest, check: AccessCheck): RuleOutcome {
  const keyType = request.keyType ?? 0;
  const resource = keyType === 1 ? 'TRANSACTIONAL_ID' : keyType === 0 ? 'GROUP' : undefined;
  // Unknown key types go to the handler, which answers INVALID_REQUEST as Kafka.
  if (resource === undefined) return pass(request);
  const code = resource === 'GROUP' ? GROUP_DENIED : TXN_DENIED;
  const allowed = (key: string) => check.allowed('DESCRIBE', resource, key);
  if (check.apiVersion >= 4) {
    const { kept, denied } = split(request.coordinatorKeys ?? [], allowed);
    const errors = denied.map((key) => ({ key, nodeId: -1, host: '', port: -1, errorCode: code, errorMessage: null }));
    if (kept.length === 0) return answer({ throttleTimeMs: 0, coordinators: errors });
    return pass({ ...request, coordinatorKeys: kept }, appendTo('coordinators', errors));
  }
  if (allowed(request.key ?? '')) return pass(request);
  return answer({ throttleTimeMs: 0, errorCode: code, errorMessage: null, nodeId: -1, host: '', port: -1, coordinators: [] });
}
