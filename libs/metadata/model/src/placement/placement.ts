// Placement as pure functions: the controller feeds in live registrations and current load and
// writes the answer in one etcd transaction. Deterministic (ties break by id) so two runs over
// the same input agree, which keeps tests and controller retries stable.
import { fail, ok, type Result } from '../errors/result';
import { nextEpoch, type BrokerId, type CellId, type Epoch, type NodeId } from '../ids/ids';

export const REPLICATION_FACTOR = 3;

export interface PlacementNode<Id extends string = NodeId> {
  readonly id: Id;
  readonly az: string;
  readonly cell: CellId;
  /** Registration generation (a new one per process incarnation); 0 when not tracked. */
  readonly generation?: bigint;
}

export interface PartitionPlacement {
  readonly leader: BrokerId | null;
  /** Generation of the leader's registration when it was made leader (KIP-380 broker epoch). */
  readonly leaderGeneration: bigint | null;
  readonly replicas: readonly NodeId[];
}

export interface PlaceOptions {
  readonly cell: CellId;
  readonly count: number;
  readonly replicationNodes: readonly PlacementNode[];
  readonly brokers: readonly PlacementNode<BrokerId>[];
  /** Replicas each replication node already holds. Not mutated. */
  readonly replicaLoad: ReadonlyMap<string, number>;
  /** Partitions each broker already leads. Not mutated. */
  readonly leaderLoad: ReadonlyMap<string, number>;
}

const byLoadThenId =
  (load: Map<string, number>) =>
  (a: { id: string }, b: { id: string }): number =>
    (load.get(a.id) ?? 0) - (load.get(b.id) ?? 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function leastLoaded<T extends { id: string }>(items: readonly T[], load: Map<string, number>): T | undefined {
  return [...items].sort(byLoadThenId(load))[0];
}

/**
 * Places `count` new partitions: each gets 3 replication nodes in 3 distinct AZs of the cell (the
 * least-loaded node of each of the 3 least-loaded AZs) and the least-loaded broker of the cell
 * as leader. Load is updated as we go so a multi-partition topic spreads. A cell without 3 AZs
 * of replication nodes cannot hold a partition: INVALID_REPLICATION_FACTOR, as Kafka answers
 * when the replication factor exceeds the brokers available. With no live broker the leader is
 * null and the controller assigns one when a broker registers.
 */
export function placePartitions(options: PlaceOptions): Result<PartitionPlacement[]> {
  const replicaLoad = new Map(options.replicaLoad);
  const leaderLoad = new Map(options.leaderLoad);
  const nodes = options.replicationNodes.filter((n) => n.cell === options.cell);
  const brokers = options.brokers.filter((b) => b.cell === options.cell);
  const byAz = new Map<string, PlacementNode[]>();
  for (const node of nodes) byAz.set(node.az, [...(byAz.get(node.az) ?? []), node]);
  if (byAz.size < REPLICATION_FACTOR) {
    return fail(
      'INVALID_REPLICATION_FACTOR',
      `Cell ${options.cell} has replication nodes in ${byAz.size} availability zones; ${REPLICATION_FACTOR} are required`,
    );
  }
  const out: PartitionPlacement[] = [];
  for (let i = 0; i < options.count; i++) {
    const candidates = [...byAz.values()].map((azNodes) => leastLoaded(azNodes, replicaLoad) as PlacementNode);
    const chosen = candidates.sort(byLoadThenId(replicaLoad)).slice(0, REPLICATION_FACTOR);
    for (const node of chosen) replicaLoad.set(node.id, (replicaLoad.get(node.id) ?? 0) + 1);
    const leader = leastLoaded(brokers, leaderLoad);
    if (leader) leaderLoad.set(leader.id, (leaderLoad.get(leader.id) ?? 0) + 1);
    out.push({ leader: leader?.id ?? null, leaderGeneration: leader ? (leader.generation ?? 0n) : null, replicas: chosen.map((n) => n.id).sort() });
  }
  return ok(out);
}

export interface LeadershipState<K> {
  readonly key: K;
  readonly leader: BrokerId | null;
  readonly leaderEpoch: Epoch;
  readonly leaderGeneration: bigint | null;
}

export interface LeadershipChange<K> {
  readonly key: K;
  readonly leader: BrokerId | null;
  readonly leaderEpoch: Epoch;
  readonly leaderGeneration: bigint | null;
}

/**
 * Failover: every partition whose leader is not a live broker of its cell — or is a new
 * incarnation of it (another registration generation: the process restarted and lost its
 * in-memory state, as KIP-380's broker epoch detects) — moves to the least-loaded live broker,
 * and its epoch goes up by one (so the old leader, if merely slow, is
 * fenced by the replicas: design/replication-protocol.md). With no live broker the partition is
 * left leaderless, still with a bumped epoch so a zombie leader stays fenced.
 */
export function reassignLeaders<K>(options: {
  readonly partitions: readonly LeadershipState<K>[];
  readonly liveBrokers: readonly PlacementNode<BrokerId>[];
  readonly leaderLoad: ReadonlyMap<string, number>;
}): LeadershipChange<K>[] {
  const live = new Map<string, bigint>(options.liveBrokers.map((b) => [b.id, b.generation ?? 0n]));
  const load = new Map(options.leaderLoad);
  const changes: LeadershipChange<K>[] = [];
  for (const p of options.partitions) {
    if (p.leader !== null && live.get(p.leader) === (p.leaderGeneration ?? 0n)) continue;
    // A leaderless partition waiting for its first broker needs no epoch bump if none is live.
    if (p.leader === null && live.size === 0) continue;
    const target = leastLoaded(options.liveBrokers, load);
    if (target) load.set(target.id, (load.get(target.id) ?? 0) + 1);
    changes.push({
      key: p.key,
      leader: target?.id ?? null,
      leaderEpoch: nextEpoch(p.leaderEpoch),
      leaderGeneration: target ? (target.generation ?? 0n) : null,
    });
  }
  return changes;
}
