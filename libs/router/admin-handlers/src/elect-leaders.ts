// ElectLeaders (key 43, KIP-460). Stratus has no preferred or unclean replica election: any
// broker can lead any partition and the controller assigns leaders (and moves them when a broker
// dies), so there is never an election a client could trigger. The handler answers exactly what
// Kafka answers when no election is needed:
// - a partition with a live leader: ELECTION_NOT_NEEDED (PREFERRED: the leader is the one the
//   controller prefers; UNCLEAN: there is a leader, so no unclean election is allowed);
// - a partition without a live leader (its broker just died; the controller re-leads it within
//   a lease): PREFERRED_LEADER_NOT_AVAILABLE / ELIGIBLE_LEADERS_NOT_AVAILABLE, both retriable;
// - an unknown topic or partition (another tenant's topic included): UNKNOWN_TOPIC_OR_PARTITION;
// - a null topic list means every partition of the tenant, and, as Kafka's controller does for
//   that form, partitions that need no election are left out of the answer (each topic is still
//   listed, possibly with no partitions).
import { ErrorCode } from '@stratus/kafka-errors';
import type { ElectLeadersRequest, ElectLeadersResponse } from '@stratus/kafka-messages';
import type { ClusterView } from '@stratus/router-cluster-view';
import type { ApiHandler, RequestContext } from '@stratus/router-kafka-server';
import { NOT_AUTHENTICATED, tenantOf, type AdminContext } from './admin-context';

const PREFERRED = 0;
const UNCLEAN = 1;

type TopicResult = ElectLeadersResponse['replicaElectionResults'][number];
type PartitionResult = TopicResult['partitionResult'][number];

function partitionResult(view: ClusterView, tenant: string, topic: string, partition: number, electionType: number): PartitionResult {
  const t = view.topicByName(tenant, topic);
  if (!t || partition < 0 || partition >= t.partitionCount) {
    return { partitionId: partition, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, errorMessage: 'This server does not host this topic-partition.' };
  }
  const p = view.partition(t.topicId, partition);
  const live = p?.leaderNodeId !== undefined && view.broker(p.leaderNodeId) !== undefined;
  if (live) return { partitionId: partition, errorCode: ErrorCode.ELECTION_NOT_NEEDED, errorMessage: 'Leader election not needed for topic partition.' };
  return electionType === UNCLEAN
    ? { partitionId: partition, errorCode: ErrorCode.ELIGIBLE_LEADERS_NOT_AVAILABLE, errorMessage: 'The partition has no leader yet; the controller assigns one.' }
    : { partitionId: partition, errorCode: ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE, errorMessage: 'The partition has no leader yet; the controller assigns one.' };
}

export function electLeadersHandler(admin: AdminContext & { readonly view: ClusterView }): ApiHandler {
  const view = admin.view;
  return {
    apiKey: 43,
    name: 'ElectLeaders',
    minVersion: 0,
    maxVersion: 2,
    async handle(ctx: RequestContext, raw: unknown) {
      const tenant = tenantOf(ctx);
      if (tenant === undefined) return NOT_AUTHENTICATED;
      const request = raw as ElectLeadersRequest;
      // v0 has no election type: it always asked for the preferred leader.
      const electionType = request.electionType ?? PREFERRED;
      if (electionType !== PREFERRED && electionType !== UNCLEAN) {
        const results = (request.topicPartitions ?? []).map((t) => ({
          topic: t.topic,
          partitionResult: t.partitions.map((p) => ({ partitionId: p, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown election type ${electionType}.` })),
        }));
        const response: ElectLeadersResponse = { throttleTimeMs: 0, errorCode: ErrorCode.INVALID_REQUEST, replicaElectionResults: results };
        return { response };
      }
      let results: TopicResult[];
      if (request.topicPartitions === null) {
        await view.catchUp(admin.catchUpTimeoutMs).catch(() => undefined);
        results = view
          .topics(tenant)
          .map((t) => ({
            topic: t.name,
            partitionResult: Array.from({ length: t.partitionCount }, (_, p) => partitionResult(view, tenant, t.name, p, electionType)).filter(
              (r) => r.errorCode !== ErrorCode.ELECTION_NOT_NEEDED,
            ),
          }));
      } else {
        // A partition named twice is answered once (Kafka collects the request into a set).
        const byTopic = new Map<string, Set<number>>();
        for (const t of request.topicPartitions) {
          const set = byTopic.get(t.topic) ?? new Set<number>();
          for (const p of t.partitions) set.add(p);
          byTopic.set(t.topic, set);
        }
        results = [...byTopic].map(([topic, partitions]) => ({
          topic,
          partitionResult: [...partitions].map((p) => partitionResult(view, tenant, topic, p, electionType)),
        }));
      }
      const response: ElectLeadersResponse = { throttleTimeMs: 0, errorCode: ErrorCode.NONE, replicaElectionResults: results };
      return { response };
    },
  };
}
