// quotas get | set, limits get | set. Limits (max partitions, topics, storage) are part of the
// tenant's TenantQuotas on the wire; `limits` shows only those.
import { resolveTenant, type Runner } from './context';
import { mergeQuotaChanges, quotaTable, quotasToJson } from './quota-view';

const limitsOnly = (group: string) => ({ limitsOnly: group === 'limits' });

export const getQuotas: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const q = await client.call((c) => c.getQuotas, { tenantId: tenant.tenantId });
  const opts = limitsOnly(parsed.command.group);
  return {
    data: { tenant: tenant.name, tenantId: tenant.tenantId?.value, revision: q.revision, configured: quotasToJson(q.configured, opts), effective: quotasToJson(q.effective, opts) },
    human: quotaTable(q.configured, q.effective, opts),
  };
};

export const setQuotas: Runner = async ({ client, parsed }) => {
  // Bad flags are reported before anything is asked of the service.
  mergeQuotaChanges({}, parsed.options);
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const current = await client.call((c) => c.getQuotas, { tenantId: tenant.tenantId });
  const quotas = mergeQuotaChanges(current.configured ?? {}, parsed.options);
  // Read-modify-write on the revision read above: a concurrent change fails rather than being lost.
  const q = await client.call((c) => c.setQuotas, { tenantId: tenant.tenantId, quotas, expectedRevision: current.revision, validateOnly: false });
  const opts = limitsOnly(parsed.command.group);
  return {
    data: { tenant: tenant.name, tenantId: tenant.tenantId?.value, revision: q.revision, configured: quotasToJson(q.configured, opts), effective: quotasToJson(q.effective, opts) },
    human: `Quotas of tenant ${tenant.name} updated (revision ${q.revision})\n\n${quotaTable(q.configured, q.effective, opts)}`,
  };
};
