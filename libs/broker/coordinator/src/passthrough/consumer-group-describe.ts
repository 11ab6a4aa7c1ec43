// ConsumerGroupDescribe (key 69, KIP-848): each group from its own coordinator.
import type { ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse } from '@stratus/kafka-messages';
import type { DescribedPartitions } from '@stratus/broker-groups';
import { ErrorCode } from '@stratus/kafka-errors';
import { FOREIGN_GROUP, keyOf, type GroupApi } from './api';

/** KIP-430: authorised operations were not requested / are not computed. */
const OPERATIONS_NOT_REQUESTED = -2147483648;

type Described = ConsumerGroupDescribeResponse['groups'][number];

const failed = (groupId: string, errorCode: ErrorCode): Described => ({
  errorCode,
  errorMessage: null,
  groupId,
  groupState: '',
  groupEpoch: -1,
  assignmentEpoch: -1,
  assignorName: '',
  members: [],
  authorizedOperations: OPERATIONS_NOT_REQUESTED,
});

const wire = (a: DescribedPartitions) => ({ topicPartitions: a.map((t) => ({ topicId: t.topicId, topicName: t.topicName, partitions: [...t.partitions] })) });

export const consumerGroupDescribeApi: GroupApi<ConsumerGroupDescribeRequest, ConsumerGroupDescribeResponse> = {
  apiKey: 69,
  name: 'ConsumerGroupDescribe',
  minVersion: 0,
  maxVersion: 1,
  async handle(ctx, req) {
    const groups = await Promise.all(
      req.groupIds.map(async (groupId): Promise<Described> => {
        const key = keyOf(ctx, groupId);
        if (!key) return failed(groupId, FOREIGN_GROUP);
        const c = ctx.runtime.coordinatorFor(key);
        if (!c.ok) return failed(groupId, c.errorCode);
        const r = await c.value.read((core) => core.consumerGroupDescribe([key])[0]);
        if (!r.ok) return failed(groupId, r.errorCode);
        const g = r.value;
        if (!g) return failed(groupId, ErrorCode.UNKNOWN_SERVER_ERROR);
        return {
          errorCode: g.errorCode,
          errorMessage: g.errorMessage,
          groupId,
          groupState: g.groupState,
          groupEpoch: g.groupEpoch,
          assignmentEpoch: g.assignmentEpoch,
          assignorName: g.assignorName,
          members: g.members.map((m) => ({
            memberId: m.memberId,
            instanceId: m.instanceId,
            rackId: m.rackId,
            memberEpoch: m.memberEpoch,
            clientId: m.clientId,
            clientHost: m.clientHost,
            subscribedTopicNames: [...m.subscribedTopicNames],
            subscribedTopicRegex: m.subscribedTopicRegex,
            assignment: wire(m.assignment),
            targetAssignment: wire(m.targetAssignment),
            memberType: m.memberType,
          })),
          authorizedOperations: OPERATIONS_NOT_REQUESTED,
        };
      }),
    );
    return { throttleTimeMs: 0, groups };
  },
};
