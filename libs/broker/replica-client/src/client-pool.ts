// Connections from one broker to the replication nodes of its cell: node id → address through a
// resolver the broker feeds from its metadata watch, one ReplicationNodeClient per node, and
// ReplicaPorts for (node, partition) that share that client. Ports resolve their client on every
// call, so a node that re-registers at a new address (a rescheduled pod) is followed without
// rebuilding the partition leaders that hold the ports.
import { replicaId, type ReplicaId, type ReplicaPort } from '@stratus/broker-partition';
import type { GrpcClientOptions } from '@stratus/platform-grpc';
import { GrpcReplicaPort } from './grpc-replica-port';
import { ReplicationNodeClient, type ReplicaCallTimeouts } from './node-client';
import type { ReplicaPartition } from './partition';

/** host:port of a replication node's ReplicationService, or undefined when not (or no longer) known. */
export type ReplicationNodeResolver = (nodeId: string) => string | undefined;

export interface ReplicationClientPoolOptions extends ReplicaCallTimeouts {
  readonly resolve: ReplicationNodeResolver;
  /** Our broker id, sent with Fence for the replication node's logs. */
  readonly leaderNodeId?: string;
  readonly grpc?: GrpcClientOptions;
}

export class ReplicationClientPool {
  private readonly clients = new Map<string, ReplicationNodeClient>();
  private closed = false;

  constructor(private readonly options: ReplicationClientPoolOptions) {
    // Validate the deadlines now rather than on the first call to a node.
    for (const [name, value] of Object.entries({
      callTimeoutMs: options.callTimeoutMs,
      appendTimeoutMs: options.appendTimeoutMs,
      repairTimeoutMs: options.repairTimeoutMs,
    })) {
      if (value !== undefined && (!Number.isFinite(value) || value <= 0)) throw new RangeError(`${name} must be a positive number of ms, got ${value}`);
    }
  }

  /** A ReplicaPort for `partition` on node `nodeId`; cheap, holds no connection of its own. */
  portFor(nodeId: string, partition: ReplicaPartition): ReplicaPort {
    const id = replicaId(nodeId);
    return new GrpcReplicaPort({
      id,
      partition,
      connection: () => this.client(id),
      peerAddress: (peer: ReplicaId) => this.addressOf(peer),
      leaderNodeId: this.options.leaderNodeId,
    });
  }

  /**
   * The shared client of `nodeId`, created on first use; a new one when the node's address
   * changed (the old one is closed, failing its in-flight calls as UNAVAILABLE, which the leader
   * retries); undefined while the node cannot be resolved or after close().
   */
  client(nodeId: string): ReplicationNodeClient | undefined {
    if (this.closed) return undefined;
    const address = this.addressOf(nodeId);
    const existing = this.clients.get(nodeId);
    if (address === undefined) return undefined;
    if (existing && existing.address === address) return existing;
    existing?.close();
    const created = new ReplicationNodeClient({
      nodeId,
      address,
      callTimeoutMs: this.options.callTimeoutMs,
      appendTimeoutMs: this.options.appendTimeoutMs,
      repairTimeoutMs: this.options.repairTimeoutMs,
      grpc: this.options.grpc,
    });
    this.clients.set(nodeId, created);
    return created;
  }

  /** Node ids with an open client. */
  connectedNodes(): string[] {
    return [...this.clients.keys()];
  }

  /** Closes the client of a node that left the cell (its ports answer UNAVAILABLE until it is resolvable again). */
  closeNode(nodeId: string): void {
    this.clients.get(nodeId)?.close();
    this.clients.delete(nodeId);
  }

  /** Closes clients of nodes that no longer resolve (call after a metadata change). */
  prune(): void {
    for (const nodeId of [...this.clients.keys()]) if (this.addressOf(nodeId) === undefined) this.closeNode(nodeId);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.clients.values()) c.close();
    this.clients.clear();
  }

  private addressOf(nodeId: string): string | undefined {
    try {
      const address = this.options.resolve(nodeId);
      return address === undefined || address === '' ? undefined : address;
    } catch {
      // A resolver bug must not turn into a thrown port call: the node is simply unknown now.
      return undefined;
    }
  }
}
