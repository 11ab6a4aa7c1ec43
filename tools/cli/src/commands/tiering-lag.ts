// Tiering lag for `stratus status`: asks every registered tiered-storage node for GetTieringStatus
// and adds up sealed-but-not-uploaded data over the partitions each tiers. null when no
// tiered-storage node is registered (shown as n/a); nodes that do not answer are listed.
import { commonV1, type metadataV1, tieredV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';

export interface TieringLag {
  readonly partitions: number;
  readonly lagSegments: number;
  readonly lagBytes: number;
  /** Longest wait of a sealed segment not yet uploaded, over all partitions. */
  readonly oldestPendingMs: number;
  /** Partitions whose last upload failed. */
  readonly failing: number;
  readonly unreachable: readonly string[];
}

export function sumTieringLag(answers: readonly { node: string; response: tieredV1.GetTieringStatusResponse | undefined }[]): TieringLag {
  let partitions = 0;
  let lagSegments = 0;
  let lagBytes = 0;
  let oldestPendingMs = 0;
  let failing = 0;
  for (const a of answers) {
    for (const p of a.response?.partitions ?? []) {
      partitions++;
      lagSegments += p.lagSegments;
      lagBytes += Number(p.lagBytes);
      oldestPendingMs = Math.max(oldestPendingMs, Number(p.oldestPendingMs));
      if (p.lastUploadError !== '') failing++;
    }
  }
  return { partitions, lagSegments, lagBytes, oldestPendingMs, failing, unreachable: answers.filter((a) => !a.response).map((a) => a.node) };
}

function getTieringStatus(address: string): Promise<tieredV1.GetTieringStatusResponse | undefined> {
  const client = createGrpcClient(tieredV1.TieredStorageServiceClient, address);
  // An unreachable node is reported as such by the caller, not as a failure of the whole command.
  return unaryCall(client, client.getTieringStatus, { partitions: [], tenantId: undefined }, { timeoutMs: 5_000 })
    .catch(() => undefined)
    .finally(() => client.close());
}

export async function fetchTieringLag(nodes: readonly metadataV1.NodeRegistration[]): Promise<TieringLag | null> {
  const tiered = nodes.filter((n) => n.node?.role === commonV1.NodeRole.TIERED_STORAGE && n.node.grpcAddress);
  if (tiered.length === 0) return null;
  const answers = await Promise.all(tiered.map(async (n) => ({ node: n.node?.nodeId ?? '?', response: await getTieringStatus(n.node?.grpcAddress ?? '') })));
  return sumTieringLag(answers);
}

export function describeTieringLag(lag: TieringLag | null): string {
  if (!lag) return 'Tiering lag: n/a (no tiered-storage node registered)';
  const parts = [`${lag.lagSegments} segment(s), ${lag.lagBytes} bytes waiting over ${lag.partitions} partition(s)`];
  if (lag.oldestPendingMs > 0) parts.push(`oldest waiting ${Math.round(lag.oldestPendingMs / 1000)} s`);
  if (lag.failing > 0) parts.push(`${lag.failing} partition(s) failing to upload`);
  if (lag.unreachable.length > 0) parts.push(`no answer from ${lag.unreachable.join(',')}`);
  return `Tiering lag: ${parts.join('; ')}`;
}
