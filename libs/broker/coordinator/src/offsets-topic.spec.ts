import { OFFSETS_TOPIC_NAME, systemTenantName } from '@stratus/coordinator-keys';
import { ErrorCode } from '@stratus/kafka-errors';
import { ensureOffsetsTopic, type AdminOutcome, type OffsetsTopicAdmin, type OffsetsTopicInfo } from './offsets-topic';

/** A metadata service in memory: tenants by name, topics by (tenant, name); hooks to lose races. */
class MemoryAdmin implements OffsetsTopicAdmin {
  readonly tenants = new Map<string, { id: string; cell: string }>();
  readonly topics = new Map<string, OffsetsTopicInfo & { configs: Record<string, string> }>();
  calls: string[] = [];
  /** Runs right before a create commits (another broker creating the same thing first). */
  beforeCreate: (() => void) | undefined;
  private seq = 0;

  async findTenantByName(name: string): Promise<AdminOutcome<string | undefined>> {
    this.calls.push(`findTenant ${name}`);
    return { ok: true, value: this.tenants.get(name)?.id };
  }
  async createTenant(name: string, cell: string): Promise<AdminOutcome<string>> {
    this.calls.push(`createTenant ${name} ${cell}`);
    this.beforeCreate?.();
    if (this.tenants.has(name)) return { ok: false, code: ErrorCode.DUPLICATE_RESOURCE, message: 'exists' };
    const id = `lkc-${++this.seq}`;
    this.tenants.set(name, { id, cell });
    return { ok: true, value: id };
  }
  async describeTopic(tenantId: string, name: string): Promise<AdminOutcome<OffsetsTopicInfo | undefined>> {
    this.calls.push(`describe ${tenantId} ${name}`);
    return { ok: true, value: this.topics.get(`${tenantId}/${name}`) };
  }
  async createTopic(tenantId: string, t: { name: string; partitions: number; configs: Record<string, string> }): Promise<AdminOutcome<OffsetsTopicInfo>> {
    this.calls.push(`createTopic ${tenantId} ${t.name} ${t.partitions}`);
    this.beforeCreate?.();
    const key = `${tenantId}/${t.name}`;
    if (this.topics.has(key)) return { ok: false, code: ErrorCode.TOPIC_ALREADY_EXISTS, message: 'exists' };
    const info = { topicId: Buffer.alloc(16, ++this.seq), partitionCount: t.partitions, configs: t.configs };
    this.topics.set(key, info);
    return { ok: true, value: info };
  }
}

describe('ensureOffsetsTopic', () => {
  it('creates the system tenant of the cell and a compacted offsets topic, once', async () => {
    const admin = new MemoryAdmin();
    const r = await ensureOffsetsTopic(admin, { cell: 'c1', partitions: 12 });
    expect(r).toMatchObject({ ok: true, value: { name: OFFSETS_TOPIC_NAME, partitionCount: 12, tenantId: 'lkc-1' } });
    expect(admin.tenants.get(systemTenantName('c1'))).toEqual({ id: 'lkc-1', cell: 'c1' });
    expect(admin.topics.get(`lkc-1/${OFFSETS_TOPIC_NAME}`)?.configs).toEqual({ 'cleanup.policy': 'compact' });

    // A later start finds both and keeps the existing partition count.
    admin.calls = [];
    const again = await ensureOffsetsTopic(admin, { cell: 'c1', partitions: 50 });
    expect(again.ok && again.value.partitionCount).toBe(12);
    expect(admin.calls.filter((c) => c.startsWith('create'))).toEqual([]);
  });

  it('ends with the winner’s tenant and topic when another broker creates them first', async () => {
    const admin = new MemoryAdmin();
    let raced = 0;
    admin.beforeCreate = () => {
      // The other broker's creates land first, every time.
      raced++;
      if (!admin.tenants.has(systemTenantName('c1'))) admin.tenants.set(systemTenantName('c1'), { id: 'lkc-other', cell: 'c1' });
      else if (!admin.topics.has(`lkc-other/${OFFSETS_TOPIC_NAME}`)) admin.topics.set(`lkc-other/${OFFSETS_TOPIC_NAME}`, { topicId: Buffer.alloc(16, 9), partitionCount: 16, configs: {} });
    };
    const r = await ensureOffsetsTopic(admin, { cell: 'c1', partitions: 8 });
    expect(raced).toBe(2);
    expect(r).toMatchObject({ ok: true, value: { tenantId: 'lkc-other', partitionCount: 16 } });
    expect(r.ok && r.value.topicId).toEqual(Buffer.alloc(16, 9));
  });

  it('reports a refusal it cannot resolve', async () => {
    const admin = new MemoryAdmin();
    admin.createTopic = async () => ({ ok: false, code: ErrorCode.POLICY_VIOLATION, message: 'too many partitions' });
    const r = await ensureOffsetsTopic(admin, { cell: 'c1', partitions: 100_000 });
    expect(r).toEqual({ ok: false, code: ErrorCode.POLICY_VIOLATION, message: 'too many partitions' });
  });
});
