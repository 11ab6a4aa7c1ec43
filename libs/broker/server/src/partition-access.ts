// Finds the serving leader for a partition named in a request, or the Kafka error the client
// gets instead. Tenancy first: a partition of another tenant is answered exactly like one that
// does not exist (ARCHITECTURE.md "Identities and names"), so nothing leaks.
import type { PartitionLeader } from '@stratus/broker-partition';
import { brokerV1, commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import type { LeaderDirectory } from './leader-directory';
import { topicHexOf, type TopicLookup } from './types';

export interface PartitionAccess {
  readonly directory: LeaderDirectory;
  readonly topics: TopicLookup;
}

export type Resolved =
  | { readonly ok: true; readonly leader: PartitionLeader }
  | { readonly ok: false; readonly error: commonV1.KafkaError; readonly currentLeader?: brokerV1.CurrentLeader };

export function kafkaError(code: number, message = ''): commonV1.KafkaError {
  return { code, message };
}

export const NO_ERROR: commonV1.KafkaError = { code: ErrorCode.NONE, message: '' };

export function resolvePartition(access: PartitionAccess, tenantId: string, ref: commonV1.PartitionRef | undefined): Resolved {
  const unknown = { ok: false as const, error: kafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, 'This server does not host this topic-partition.') };
  if (!ref || !ref.topicId || ref.partition < 0 || tenantId === '') return unknown;
  const topic = access.topics(topicHexOf(ref));
  const info = access.directory.leaderInfo(ref);
  const owner = topic?.tenantId ?? info?.tenantId;
  if (owner === undefined || owner !== tenantId) return unknown;
  if (topic && ref.partition >= topic.partitionCount) return unknown;
  const leader = access.directory.get(ref);
  if (leader) return { ok: true, leader };
  const hint = info && info.leaderNodeId !== '' ? { currentLeader: { leaderNodeId: info.leaderNodeId, leaderEpoch: info.leaderEpoch } } : {};
  return { ok: false, error: kafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, 'This broker does not lead the partition.'), ...hint };
}

/** KIP-320: a client's current_leader_epoch older than ours is fenced, newer is unknown to us. */
export function checkLeaderEpoch(leader: PartitionLeader, currentLeaderEpoch: number): commonV1.KafkaError | undefined {
  if (currentLeaderEpoch < 0) return undefined;
  if (currentLeaderEpoch < leader.epoch) return kafkaError(ErrorCode.FENCED_LEADER_EPOCH, `epoch ${currentLeaderEpoch} is older than ${leader.epoch}`);
  if (currentLeaderEpoch > leader.epoch) return kafkaError(ErrorCode.UNKNOWN_LEADER_EPOCH, `epoch ${currentLeaderEpoch} is newer than ${leader.epoch}`);
  return undefined;
}

/** The request's time budget: header.timeout_ms, or the default when the router sent none. */
export function budgetMs(header: brokerV1.RequestHeader | undefined, defaultMs: number): number {
  const t = header?.timeoutMs ?? 0;
  return t > 0 ? t : defaultMs;
}
