// The pipelined Append stream (rule 2). Requests are handed to their partition as soon as they
// arrive; each partition applies them in arrival order, so acks for one partition come back in
// offset order while different partitions proceed independently. Flow control: when too many
// bytes are in flight the stream is paused, so a fast leader cannot exhaust the node's memory.
import type { ServerDuplexStream } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { leaderEpoch, type LogSink, type ReplicaStore } from '@stratus/replication-partition-log';
import { isEpoch, keyOf, storageError, toWireError, unknownPartition, wireError, type WireError } from './mapping';

export interface AppendStreamOptions {
  readonly store: ReplicaStore;
  readonly log: LogSink;
  /** Pause reading from the stream above this many bytes of appends in flight. */
  readonly maxInFlightBytes: number;
}

type Call = ServerDuplexStream<replicationV1.AppendRequest, replicationV1.AppendResponse>;

export function handleAppendStream(call: Call, options: AppendStreamOptions): void {
  let inFlightBytes = 0;
  let pending = 0;
  let ended = false;
  let paused = false;

  const finishIfDone = () => {
    if (ended && pending === 0 && !call.cancelled && !call.destroyed) call.end();
  };

  const respond = (req: replicationV1.AppendRequest, outcome: { error?: WireError; logEnd?: bigint; promised?: number }) => {
    // A leader that went away gets no answers; the appends themselves stand (they are in the log).
    if (call.cancelled || call.destroyed) return;
    call.write({
      requestId: req.requestId,
      partition: req.partition,
      error: outcome.error,
      logEndOffset: outcome.logEnd ?? 0n,
      promisedEpoch: outcome.promised ?? 0,
    });
  };

  call.on('data', (req: replicationV1.AppendRequest) => {
    const resolved = keyOf(req.partition);
    if ('error' in resolved) return respond(req, { error: resolved.error });
    const replica = options.store.get(resolved.key);
    if (!replica) return respond(req, { error: unknownPartition(resolved.key) });
    if (!isEpoch(req.epoch)) return respond(req, { error: wireError(replicationV1.ReplicaErrorCode.INVALID_REQUEST, `invalid epoch ${req.epoch}`) });
    const size = req.records.length;
    inFlightBytes += size;
    pending++;
    if (!paused && inFlightBytes > options.maxInFlightBytes) {
      paused = true;
      call.pause();
    }
    // The decoder already gave this request a Buffer of its own (ts-proto copies bytes fields out
    // of the gRPC frame), so it is stored as is: Buffer.from() of it was a second 64 KiB copy per append.
    replica
      .append(leaderEpoch(req.epoch), req.baseOffset, req.records, {
        endOffset: req.endOffset,
        forceFlush: req.forceFlush,
        committedOffset: req.committedOffset,
      })
      .then(
        (result) => {
          const state = replica.logState();
          if (result.ok) respond(req, { logEnd: result.value.logEnd, promised: req.epoch });
          else respond(req, { error: toWireError(result.error), logEnd: state.logEnd, promised: state.promisedEpoch ?? -1 });
        },
        (err: unknown) => {
          options.log.error({ partition: resolved.key, err: String(err) }, 'append failed with a storage fault');
          respond(req, { error: storageError(err) });
        },
      )
      .finally(() => {
        inFlightBytes -= size;
        pending--;
        if (paused && inFlightBytes <= options.maxInFlightBytes / 2) {
          paused = false;
          call.resume();
        }
        finishIfDone();
      });
  });
  call.on('end', () => {
    ended = true;
    finishIfDone();
  });
  call.on('error', (err) => options.log.warn({ err: String(err) }, 'append stream failed'));
}
