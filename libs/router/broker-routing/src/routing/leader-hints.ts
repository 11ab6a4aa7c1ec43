// Clients talk only to routers, so a partition's "leader" in any answer is a router, never the
// broker: the one the Metadata handler advertises (same-AZ routers, deterministic per partition;
// @stratus/router-cluster-view placement), so KIP-951 hints agree with Metadata answers.
import { partitionLeader, routersInZone, type ClusterView, type RouterEndpoint } from '@stratus/router-cluster-view';

/** The router advertised as the leader of a partition; undefined if no router is known. */
export function advertisedLeader(view: ClusterView, topicId: Buffer, partition: number): RouterEndpoint | undefined {
  return partitionLeader(routersInZone(view.routers(), view.self().availabilityZone), topicId, partition);
}

/** KIP-951 hint: the advertised router and the broker's leader epoch. */
export function leaderHint(
  view: ClusterView,
  topicId: Buffer,
  partition: number,
  leaderEpoch: number,
): { leaderId: number; leaderEpoch: number; router: RouterEndpoint } | undefined {
  const router = advertisedLeader(view, topicId, partition);
  return router ? { leaderId: router.kafkaNodeId, leaderEpoch, router } : undefined;
}
