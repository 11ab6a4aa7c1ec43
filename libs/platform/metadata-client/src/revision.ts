// The metadata service's current etcd revision, for "catch up" waits.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { unaryCall } from './rpc';

/**
 * No cell is named like this (cell ids are validated id segments), so the ListNodes answer is
 * empty while its `revision` is still the etcd header revision of the read: the cheapest RPC in
 * the contract that reports the store's current revision.
 */
const NO_SUCH_CELL = '\u0000';

export async function currentMetadataRevision(client: metadataV1.MetadataServiceClient, timeoutMs: number): Promise<bigint> {
  const res = await unaryCall(client, client.listNodes, metadataV1.ListNodesRequest.fromPartial({ role: commonV1.NodeRole.UNSPECIFIED, cell: NO_SUCH_CELL }), timeoutMs);
  return res.revision;
}
