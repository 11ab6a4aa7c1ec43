// Follower fetching (KIP-392) as Stratus does it: the client talks to a router in its AZ, the
// router forwards the client's rack (or its own AZ) as header.client_availability_zone, and the
// broker — which leads the partition but holds no data — reads what its tail cache cannot serve
// from the replica in that AZ when it holds the range, so the bytes do not cross an AZ boundary
// twice. preferred_read_replica stays -1: clients keep fetching from their router.
import type { FetchRequest, ReplicaId } from '@stratus/broker-partition';

/** Where a replica read came from, relative to the client: the label of the cross-AZ metric. */
export type ReadLocality = 'same_az' | 'cross_az' | 'unknown_az';

export interface ReplicaLocality {
  /** The AZ of a replication node as registered with metadata; undefined when unknown. */
  readonly zoneOf: (replicationNodeId: string) => string | undefined;
  /** Counts every replica read by locality (stratus_broker_fetch_replica_reads_total). */
  readonly onRead?: (locality: ReadLocality) => void;
}

/** The FetchRequest fields that make a partition read prefer the client's AZ and report its locality. */
export function replicaPreference(locality: ReplicaLocality | undefined, clientZone: string): Pick<FetchRequest, 'preferReplica' | 'onReplicaRead'> {
  if (!locality) return {};
  const onRead = locality.onRead;
  if (clientZone === '') return onRead ? { onReplicaRead: () => onRead('unknown_az') } : {};
  const inZone = (id: ReplicaId): boolean => locality.zoneOf(id) === clientZone;
  return {
    preferReplica: inZone,
    ...(onRead
      ? {
          onReplicaRead: (id: ReplicaId) => {
            const zone = locality.zoneOf(id);
            onRead(zone === undefined || zone === '' ? 'unknown_az' : zone === clientZone ? 'same_az' : 'cross_az');
          },
        }
      : {}),
  };
}
