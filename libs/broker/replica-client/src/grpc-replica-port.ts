// ReplicaPort over gRPC for one (replication node, partition): the thin adapter replica-port.ts
// asks for. Requests map field by field onto stratus.replication.v1; refusals map one to one
// (error-mapping.ts); transport faults become UNAVAILABLE. It never throws and never leaves a
// promise pending: every call has a deadline, and the node client fails its stream's requests
// when the stream dies.
import {
  failure,
  success,
  type AppendRequest,
  type Epoch,
  type ReadRequest,
  type ReadResponse,
  type RepairRequest,
  type ReplicaId,
  type ReplicaLogState,
  type ReplicaPort,
  type ReplicaResult,
} from '@stratus/broker-partition';
import { replicationV1, type commonV1 } from '@stratus/contracts';
import { fromStateResponse, fromWireError, servableStart } from './error-mapping';
import type { ReplicationNodeClient } from './node-client';
import { describePartition, toPartitionRef, type ReplicaPartition } from './partition';

const INT32_MAX = 2 ** 31 - 1;

export interface GrpcReplicaPortOptions {
  /** The replication node's id: the ReplicaId the leader knows this replica by. */
  readonly id: ReplicaId;
  readonly partition: ReplicaPartition;
  /**
   * The node's shared connection. A function is asked on every call, so a pool can follow a node
   * that moved to a new address (and answer undefined while it cannot be resolved).
   */
  readonly connection: ReplicationNodeClient | (() => ReplicationNodeClient | undefined);
  /** host:port of a peer replica, for Repair's source_address. */
  readonly peerAddress: (id: ReplicaId) => string | undefined;
  /** Our broker's id, sent with Fence for the node's logs (fencing is decided by the epoch alone). */
  readonly leaderNodeId?: string;
}

export class GrpcReplicaPort implements ReplicaPort {
  readonly id: ReplicaId;
  private readonly ref: commonV1.PartitionRef;
  private readonly name: string;

  constructor(private readonly options: GrpcReplicaPortOptions) {
    this.id = options.id;
    this.ref = toPartitionRef(options.partition);
    this.name = `replica ${options.id} of ${describePartition(options.partition)}`;
  }

  async fence(epoch: Epoch): Promise<ReplicaResult<ReplicaLogState>> {
    const node = this.node();
    if (!node.ok) return node;
    const res = await node.value.fence({ partition: this.ref, epoch, leaderNodeId: this.options.leaderNodeId ?? '' });
    if (!res.ok) return res;
    return fromStateResponse(res.value, { operation: 'fence', requestEpoch: epoch });
  }

  async append(request: AppendRequest): Promise<ReplicaResult<{ readonly logEnd: bigint }>> {
    const node = this.node();
    if (!node.ok) return node;
    const res = await node.value.append({
      partition: this.ref,
      epoch: request.epoch,
      baseOffset: request.baseOffset,
      endOffset: request.endOffset,
      records: request.records,
      committedOffset: request.committedOffset,
      // Durability of acks=all comes from the write quorum across AZs; the node's flush policy decides fsync.
      forceFlush: false,
    });
    if (!res.ok) return res;
    const ack = res.value;
    if (ack.error) {
      return failure(fromWireError(ack.error, { operation: 'append', requestEpoch: request.epoch, promisedEpoch: ack.promisedEpoch, logEnd: ack.logEndOffset }));
    }
    return success({ logEnd: ack.logEndOffset });
  }

  async truncate(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const node = this.node();
    if (!node.ok) return node;
    const res = await node.value.truncate({ partition: this.ref, epoch, offset });
    if (!res.ok) return res;
    return fromStateResponse(res.value, { operation: 'truncate', requestEpoch: epoch });
  }

  async markEpochStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const node = this.node();
    if (!node.ok) return node;
    const res = await node.value.markEpochStart({ partition: this.ref, epoch, startOffset: offset });
    if (!res.ok) return res;
    return fromStateResponse(res.value, { operation: 'markEpochStart', requestEpoch: epoch });
  }

  async repair(request: RepairRequest): Promise<ReplicaResult<ReplicaLogState>> {
    const node = this.node();
    if (!node.ok) return node;
    // The node pulls from its peer itself, so it needs the peer's address, not just its id.
    const sourceAddress = this.options.peerAddress(request.source);
    if (sourceAddress === undefined) return failure({ code: 'PEER_UNAVAILABLE', message: `no address known for replication node ${request.source}` });
    const res = await node.value.repair({
      partition: this.ref,
      epoch: request.epoch,
      startOffset: request.startOffset,
      endOffset: request.endOffset,
      sourceNodeId: request.source,
      sourceAddress,
      sourceEpochHistory: request.sourceEpochHistory.map((e) => ({ epoch: e.epoch, startOffset: e.startOffset })),
    });
    if (!res.ok) return res;
    return fromStateResponse(res.value, { operation: 'repair', requestEpoch: request.epoch });
  }

  async read(request: ReadRequest): Promise<ReplicaResult<ReadResponse>> {
    const node = this.node();
    if (!node.ok) return node;
    // max_bytes is an int32 on the wire; a larger budget means "as much as allowed" anyway.
    const maxBytes = Math.max(0, Math.min(INT32_MAX, Math.floor(request.maxBytes)));
    const res = await node.value.read({ partition: this.ref, offset: request.offset, maxBytes, maxOffset: request.maxOffset });
    if (!res.ok) return res;
    const r = res.value;
    if (r.error) return failure(fromWireError(r.error, { operation: 'read', logStart: servableStart(r), logEnd: r.logEndOffset }));
    return success({ records: r.records, nextOffset: r.nextOffset, logStart: servableStart(r), logEnd: r.logEndOffset });
  }

  async advanceLogStart(epoch: Epoch, offset: bigint): Promise<ReplicaResult<ReplicaLogState>> {
    const node = this.node();
    if (!node.ok) return node;
    // DeleteRecords is DeleteSegmentsBefore with scope LOG_START: the records cease to exist, so
    // the node checks the epoch; the start may lie inside a segment (kept as a logical start).
    const res = await node.value.deleteSegmentsBefore({ partition: this.ref, offset, scope: replicationV1.DeleteScope.LOG_START, epoch });
    if (!res.ok) return res;
    return fromStateResponse(res.value, { operation: 'advanceLogStart', requestEpoch: epoch });
  }

  private node(): ReplicaResult<ReplicationNodeClient> {
    const c = this.options.connection;
    const client = typeof c === 'function' ? c() : c;
    if (!client) return failure({ code: 'UNAVAILABLE', message: `${this.name}: no address known for replication node ${this.id}` });
    return success(client);
  }
}
