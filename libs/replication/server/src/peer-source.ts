// A peer replica as a BatchSource: Repair pulls missing ranges with the peer's Read RPC, capped
// at the range's end so nothing beyond what the leader asked for is copied.
import { replicationV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';
import type { BatchSource, ReplicaError, Result } from '@stratus/replication-partition-log';
import type { commonV1 } from '@stratus/contracts';

/** Thrown when the peer cannot be reached or answers with a transport error (maps to PEER_UNAVAILABLE). */
export class PeerUnavailableError extends Error {
  override readonly name = 'PeerUnavailableError';
}

export interface PeerSource extends BatchSource {
  close(): void;
}

export function grpcPeerSource(options: { address: string; partition: commonV1.PartitionRef; endOffset: bigint; timeoutMs: number }): PeerSource {
  const client = createGrpcClient(replicationV1.ReplicationServiceClient, options.address);
  return {
    close: () => client.close(),
    read: async (offset, maxBytes) => {
      const request: replicationV1.ReadRequest = { partition: options.partition, offset, maxBytes, maxOffset: options.endOffset };
      let res: replicationV1.ReadResponse;
      try {
        res = await unaryCall(client, client.read, request, { timeoutMs: options.timeoutMs });
      } catch (err) {
        throw new PeerUnavailableError(`peer ${options.address}: ${(err as Error).message}`);
      }
      // Outside the try: a refusal fromWire throws is already a PeerUnavailableError of its own.
      return fromWire(res);
    },
  };
}

type ReadValue = { records: Buffer; nextOffset: bigint; logStart: bigint; logEnd: bigint };

function fromWire(res: replicationV1.ReadResponse): Result<ReadValue> {
  if (!res.error) {
    // res.records is already a Buffer of its own (the decoder copies bytes fields): no second copy.
    return { ok: true, value: { records: res.records, nextOffset: res.nextOffset, logStart: servableStart(res), logEnd: res.logEndOffset } };
  }
  const Code = replicationV1.ReplicaErrorCode;
  const message = `peer: ${res.error.message}`;
  let error: ReplicaError;
  switch (res.error.code) {
    case Code.OFFSET_OUT_OF_RANGE:
      // Both starts (catch-up.ts): the reset restarts at the servable one, keeps the logical one.
      error = { code: 'OFFSET_OUT_OF_RANGE', logStart: servableStart(res), durableLogStart: res.logStartOffset, logEnd: res.logEndOffset, message };
      break;
    case Code.CORRUPT:
      error = { code: 'CORRUPT', offset: -1n, file: 'peer', message };
      break;
    case Code.NOT_READY:
      error = { code: 'NOT_READY', retriable: true, message };
      break;
    default:
      throw new PeerUnavailableError(`peer refused the read: ${replicationV1.replicaErrorCodeToJSON(res.error.code)} ${res.error.message}`);
  }
  return { ok: false, error };
}

/** A peer serves from the higher of its logical start and its first local offset (log.proto). */
export function servableStart(res: Pick<replicationV1.ReadResponse, 'logStartOffset' | 'localLogStartOffset'>): bigint {
  return res.localLogStartOffset > res.logStartOffset ? res.localLogStartOffset : res.logStartOffset;
}
