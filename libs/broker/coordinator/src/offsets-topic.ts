// The cell's internal offsets topic, created at broker start-up when absent.
//
// The metadata model has no cell-scoped topics: every topic belongs to a tenant placed in a cell.
// Until it grows internal topics proper (see docs/groups.md "Offsets topic"), the offsets topic of
// cell c belongs to a reserved system tenant named `stratus-internal-<c>` that no API key maps to,
// so no client can name, list or read it. Brokers of the cell race to create it; every outcome of
// the race (tenant or topic already there) ends with the same topic.
import { OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';

/** The outcome of a metadata call as this module needs it. */
export type AdminOutcome<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly code: number; readonly message: string };

/** The metadata calls ensureOffsetsTopic makes (grpcOffsetsTopicAdmin implements them over MetadataService). */
export interface OffsetsTopicAdmin {
  findTenantByName(name: string): Promise<AdminOutcome<string | undefined>>;
  createTenant(name: string, cell: string): Promise<AdminOutcome<string>>;
  describeTopic(tenantId: string, name: string): Promise<AdminOutcome<OffsetsTopicInfo | undefined>>;
  createTopic(tenantId: string, topic: { name: string; partitions: number; configs: Record<string, string> }): Promise<AdminOutcome<OffsetsTopicInfo>>;
}

export interface OffsetsTopicInfo {
  /** 16 bytes (KIP-516). */
  readonly topicId: Buffer;
  readonly partitionCount: number;
}

export interface EnsureOffsetsTopicOptions {
  readonly cell: string;
  /** Used only when creating; an existing topic keeps its count (changing it would move every group). */
  readonly partitions: number;
  readonly topicName?: string;
}

/** Latest value per key is all a reader needs (Kafka's offsets.topic is compacted the same way). */
const OFFSETS_TOPIC_CONFIGS: Record<string, string> = { 'cleanup.policy': 'compact' };

export async function ensureOffsetsTopic(
  admin: OffsetsTopicAdmin,
  opts: EnsureOffsetsTopicOptions,
): Promise<AdminOutcome<OffsetsTopicInfo & { readonly tenantId: string; readonly name: string }>> {
  const name = opts.topicName ?? OFFSETS_TOPIC_NAME;
  const tenant = await systemTenant(admin, opts.cell);
  if (!tenant.ok) return tenant;
  const tenantId = tenant.value;
  const existing = await admin.describeTopic(tenantId, name);
  if (!existing.ok) return existing;
  if (existing.value) return { ok: true, value: { ...existing.value, tenantId, name } };
  const created = await admin.createTopic(tenantId, { name, partitions: opts.partitions, configs: OFFSETS_TOPIC_CONFIGS });
  if (created.ok) return { ok: true, value: { ...created.value, tenantId, name } };
  // Another broker won the race: use its topic.
  const raced = await admin.describeTopic(tenantId, name);
  if (raced.ok && raced.value) return { ok: true, value: { ...raced.value, tenantId, name } };
  return created;
}

async function systemTenant(admin: OffsetsTopicAdmin, cell: string): Promise<AdminOutcome<string>> {
  const tenantName = systemTenantName(cell);
  const found = await admin.findTenantByName(tenantName);
  if (!found.ok) return found;
  if (found.value !== undefined) return { ok: true, value: found.value };
  const created = await admin.createTenant(tenantName, cell);
  if (created.ok) return created;
  const raced = await admin.findTenantByName(tenantName);
  if (raced.ok && raced.value !== undefined) return { ok: true, value: raced.value };
  return created;
}
