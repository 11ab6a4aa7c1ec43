// The ReplicationService of a replication node (proto/stratus/replication/v1), implemented over
// a ReplicaStore. Register with:
//   server.addService(replicationV1.ReplicationServiceService, createReplicationService({ store }));
import type { sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { catchUpFrom, leaderEpoch, PartitionReplica, silentLog, type LogSink, type PartitionKey, type ReplicaStore } from '@stratus/replication-partition-log';
import { handleAppendStream } from './append-stream';
import { isEpoch, keyOf, storageError, toWireError, toWireState, unknownPartition, wireError, type WireError } from './mapping';
import { grpcPeerSource, PeerUnavailableError } from './peer-source';
import { listSealedSegments, streamSegment } from './sealed-segments';

const Code = replicationV1.ReplicaErrorCode;

export interface ReplicationServiceOptions {
  readonly store: ReplicaStore;
  readonly log?: LogSink;
  /** Pause an Append stream above this many bytes in flight (default 64 MiB). */
  readonly maxInFlightAppendBytes?: number;
  /** Deadline of each Read a Repair sends to its peer (default 10 s). */
  readonly peerReadTimeoutMs?: number;
  /** Bytes per Read during Repair (default 4 MiB). */
  readonly repairReadBytes?: number;
}

type Unary<Req, Res> = (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>) => void;

/**
 * Wraps a handler: resolves the partition, turns unexpected exceptions into STORAGE_ERROR
 * answers (the node stays up; the storage health manager decides about restarts).
 */
function unary<Req extends { partition?: replicationV1.GetLogStateRequest['partition'] }, Res>(
  log: LogSink,
  failure: (error: WireError) => Res,
  body: (req: Req, key: PartitionKey) => Promise<Res>,
): Unary<Req, Res> {
  return (call, callback) => {
    const resolved = keyOf(call.request.partition);
    if ('error' in resolved) return callback(null, failure(resolved.error));
    body(call.request, resolved.key).then(
      (res) => callback(null, res),
      (err: unknown) => {
        log.error({ partition: resolved.key, err: String(err) }, 'replication request failed with a storage fault');
        callback(null, failure(storageError(err)));
      },
    );
  };
}

export function createReplicationService(options: ReplicationServiceOptions): replicationV1.ReplicationServiceServer {
  const { store } = options;
  const log = options.log ?? silentLog;
  const replicaOr = (key: PartitionKey): PartitionReplica | WireError => store.get(key) ?? unknownPartition(key);
  const badEpoch = (epoch: number): WireError | undefined => (isEpoch(epoch) ? undefined : wireError(Code.INVALID_REQUEST, `invalid epoch ${epoch}`));

  return {
    append: (call) => handleAppendStream(call, { store, log, maxInFlightBytes: options.maxInFlightAppendBytes ?? 64 * 1024 * 1024 }),

    read: unary(log, (error) => ({ error, records: Buffer.alloc(0), nextOffset: 0n, logStartOffset: 0n, localLogStartOffset: 0n, logEndOffset: 0n }), async (req, key) => {
      const replica = replicaOr(key);
      const empty = { records: Buffer.alloc(0), nextOffset: req.offset, logStartOffset: 0n, localLogStartOffset: 0n, logEndOffset: 0n };
      if (!(replica instanceof PartitionReplica)) return { ...empty, error: replica };
      const state = replica.logState();
      // As in LogState (log.proto): the logical start over both tiers and the first local offset; a
      // reader serves from the higher of the two. A peer resetting to us needs both (catch-up.ts).
      const bounds = { logStartOffset: state.durableLogStart, localLogStartOffset: state.localLogStart, logEndOffset: state.logEnd };
      if (req.maxBytes < 0) return { ...empty, ...bounds, error: wireError(Code.INVALID_REQUEST, `max_bytes ${req.maxBytes} is negative`) };
      const r = await replica.read(req.offset, req.maxBytes, { maxOffset: req.maxOffset });
      if (!r.ok) return { ...empty, ...bounds, error: toWireError(r.error) };
      return { error: undefined, records: r.value.records, nextOffset: r.value.nextOffset, ...bounds };
    }),

    // Fence is how a replica comes into being on this node: the leader of a new replica set fences first.
    fence: unary(log, (error) => ({ error, state: undefined }), async (req, key) => {
      const invalid = badEpoch(req.epoch);
      if (invalid) return { error: invalid, state: undefined };
      const replica = await store.getOrCreate(key);
      const r = await replica.fence(leaderEpoch(req.epoch));
      return { error: r.ok ? undefined : toWireError(r.error), state: toWireState(replica.logState()) };
    }),

    truncate: unary(log, (error) => ({ error, state: undefined }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, state: undefined };
      const invalid = badEpoch(req.epoch);
      if (invalid) return { error: invalid, state: toWireState(replica.logState()) };
      const r = await replica.truncate(leaderEpoch(req.epoch), req.offset);
      return { error: r.ok ? undefined : toWireError(r.error), state: toWireState(replica.logState()) };
    }),

    markEpochStart: unary(log, (error) => ({ error, state: undefined }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, state: undefined };
      const invalid = badEpoch(req.epoch);
      if (invalid) return { error: invalid, state: toWireState(replica.logState()) };
      const r = await replica.markEpochStart(leaderEpoch(req.epoch), req.startOffset);
      return { error: r.ok ? undefined : toWireError(r.error), state: toWireState(replica.logState()) };
    }),

    getLogState: unary(log, (error) => ({ error, state: undefined }), async (_req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, state: undefined };
      return { error: undefined, state: toWireState(replica.logState()) };
    }),

    repair: unary(log, (error) => ({ error, state: undefined, bytesCopied: 0n }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, state: undefined, bytesCopied: 0n };
      const fail = (error: WireError) => ({ error, state: toWireState(replica.logState()), bytesCopied: 0n });
      const invalid = badEpoch(req.epoch);
      if (invalid) return fail(invalid);
      const gate = replica.logState();
      if (gate.promisedEpoch === undefined || req.epoch !== gate.promisedEpoch) {
        const code = gate.promisedEpoch !== undefined && req.epoch < gate.promisedEpoch ? Code.FENCED : Code.NOT_FENCED;
        return fail(wireError(code, `repair under epoch ${req.epoch}, promised ${gate.promisedEpoch ?? 'none'}`));
      }
      if (req.startOffset !== gate.logEnd) return fail(wireError(Code.OUT_OF_ORDER, `repair starts at ${req.startOffset}, log end is ${gate.logEnd}`));
      if (req.endOffset < req.startOffset || !req.sourceAddress) return fail(wireError(Code.INVALID_REQUEST, 'repair needs start <= end and a source_address'));
      const source = grpcPeerSource({ address: req.sourceAddress, partition: req.partition ?? { partition: 0 }, endOffset: req.endOffset, timeoutMs: options.peerReadTimeoutMs ?? 10_000 });
      try {
        const r = await catchUpFrom(source, replica, leaderEpoch(req.epoch), { endOffset: req.endOffset, maxBytesPerRead: options.repairReadBytes ?? 4 * 1024 * 1024 });
        if (!r.ok) return fail(toWireError(r.error));
        const state = replica.logState();
        if (state.logEnd < req.endOffset) {
          return { error: wireError(Code.PEER_UNAVAILABLE, `peer ${req.sourceAddress} ended at ${state.logEnd}, before ${req.endOffset}`), state: toWireState(state), bytesCopied: BigInt(r.value.copiedBytes) };
        }
        return { error: undefined, state: toWireState(state), bytesCopied: BigInt(r.value.copiedBytes) };
      } catch (err) {
        if (err instanceof PeerUnavailableError) return fail(wireError(Code.PEER_UNAVAILABLE, err.message));
        throw err;
      } finally {
        source.close();
      }
    }),

    deleteSegmentsBefore: unary(log, (error) => ({ error, state: undefined, bytesFreed: 0n, segmentsDeleted: 0 }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, state: undefined, bytesFreed: 0n, segmentsDeleted: 0 };
      const before = replica.logState();
      if (req.scope === replicationV1.DeleteScope.LOG_START) {
        // A log-start move deletes records for good (DeleteRecords, retention), so it takes the
        // current leader epoch; the start may lie inside a segment and is persisted as the
        // replica's logical log start.
        const invalid = badEpoch(req.epoch);
        if (invalid) return { error: invalid, state: toWireState(before), bytesFreed: 0n, segmentsDeleted: 0 };
        const moved = await replica.advanceLogStart(leaderEpoch(req.epoch), req.offset);
        const after = replica.logState();
        if (!moved.ok) return { error: toWireError(moved.error), state: toWireState(after), bytesFreed: 0n, segmentsDeleted: 0 };
        return { error: undefined, state: toWireState(after), bytesFreed: BigInt(before.sizeBytes - after.sizeBytes), segmentsDeleted: moved.value.deletedSegments };
      } else if (req.scope !== replicationV1.DeleteScope.LOCAL_ONLY) {
        return { error: wireError(Code.INVALID_REQUEST, 'scope must be LOCAL_ONLY or LOG_START'), state: toWireState(before), bytesFreed: 0n, segmentsDeleted: 0 };
      }
      const r = await replica.deleteSegmentsBefore(req.offset);
      const after = replica.logState();
      return { error: undefined, state: toWireState(after), bytesFreed: BigInt(before.sizeBytes - after.sizeBytes), segmentsDeleted: r.deletedSegments };
    }),

    deletePartition: unary(log, (error) => ({ error }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica };
      const promised = replica.logState().promisedEpoch;
      if (promised !== undefined && req.epoch < promised) return { error: wireError(Code.FENCED, `deletion under epoch ${req.epoch}, promised ${promised}`) };
      await store.deletePartition(key);
      return { error: undefined };
    }),

    listSealedSegments: unary(log, (error) => ({ error, segments: [], page: undefined, committedOffset: 0n }), async (req, key) => {
      const replica = replicaOr(key);
      if (!(replica instanceof PartitionReplica)) return { error: replica, segments: [], page: undefined, committedOffset: 0n };
      return listSealedSegments(replica, req);
    }),

    readSegment: (call) => {
      const resolved = keyOf(call.request.partition);
      if ('error' in resolved) {
        call.write({ event: { $case: 'error', value: resolved.error } });
        call.end();
        return;
      }
      const replica = replicaOr(resolved.key);
      if (!(replica instanceof PartitionReplica)) {
        call.write({ event: { $case: 'error', value: replica } });
        call.end();
        return;
      }
      streamSegment(replica, call.request, call).catch((err: unknown) => {
        log.error({ partition: resolved.key, err: String(err) }, 'segment stream failed');
        call.write({ event: { $case: 'error', value: storageError(err) } });
        call.end();
      });
    },
  };
}
