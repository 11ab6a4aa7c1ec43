// tenants create | list | describe | update | delete
import { metadataV1 } from '@stratus/contracts';
import { UsageError } from '../errors';
import { keyValues, table, timestamp } from '../format';
import { parseLabels } from '../quantity';
import { resolveTenant, tenantState, type Runner } from './context';
import { quotaTable, quotasFromFlags, quotasToJson } from './quota-view';

export function tenantJson(t: metadataV1.Tenant): Record<string, unknown> {
  return {
    id: t.tenantId?.value,
    name: t.name,
    cell: t.cell,
    state: tenantState(t.state),
    createTime: timestamp(t.createTimeMs),
    revision: t.revision,
    labels: t.labels,
    quotas: quotasToJson(t.quotas),
  };
}

const labelsText = (labels: Record<string, string>): string =>
  Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');

export const createTenant: Runner = async ({ client, parsed }) => {
  const labels = parseLabels((parsed.options['label'] as string[] | undefined) ?? []);
  const cell = parsed.options['cell'];
  const { tenant } = await client.call((c) => c.createTenant, {
    name: parsed.args['name'] ?? '',
    cell: typeof cell === 'string' ? cell : '',
    quotas: quotasFromFlags(parsed.options),
    labels,
  });
  if (!tenant) throw new Error('CreateTenant answered without a tenant');
  return { data: tenantJson(tenant), human: `Tenant ${tenant.name} created: id ${tenant.tenantId?.value ?? '?'}, cell ${tenant.cell}\n` };
};

export const listTenants: Runner = async ({ client, parsed }) => {
  const cell = parsed.options['cell'];
  const { tenants } = await client.call((c) => c.listTenants, { cell: typeof cell === 'string' ? cell : '' });
  const sorted = [...tenants].sort((a, b) => a.name.localeCompare(b.name));
  return {
    data: sorted.map(tenantJson),
    human: table(
      ['name', 'id', 'cell', 'state', 'created', 'labels'],
      sorted.map((t) => [t.name, t.tenantId?.value, t.cell, tenantState(t.state), timestamp(t.createTimeMs), labelsText(t.labels)]),
      { empty: 'No tenants.' },
    ),
  };
};

export const describeTenant: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const [topics, keys, quotas] = await Promise.all([
    client.call((c) => c.listTopics, { tenantId: tenant.tenantId, includeInternal: false }),
    client.call((c) => c.listApiKeys, { tenantId: tenant.tenantId, includeRevoked: false }),
    client.call((c) => c.getQuotas, { tenantId: tenant.tenantId }),
  ]);
  const partitions = topics.topics.reduce((n, t) => n + t.partitionCount, 0);
  const data = {
    ...tenantJson(tenant),
    usage: { topics: topics.topics.length, partitions, apiKeys: keys.apiKeys.length },
    configuredQuotas: quotasToJson(quotas.configured),
    quotas: quotasToJson(quotas.effective),
  };
  const human =
    keyValues([
      ['Name', tenant.name],
      ['Id', tenant.tenantId?.value],
      ['Cell', tenant.cell],
      ['State', tenantState(tenant.state)],
      ['Created', timestamp(tenant.createTimeMs)],
      ['Revision', tenant.revision],
      ['Labels', labelsText(tenant.labels)],
      ['Topics', topics.topics.length],
      ['Partitions', partitions],
      ['API keys', keys.apiKeys.length],
    ]) +
    '\n' +
    quotaTable(quotas.configured, quotas.effective);
  return { data, human };
};

const STATES: Readonly<Record<string, metadataV1.TenantState>> = {
  active: metadataV1.TenantState.ACTIVE,
  suspended: metadataV1.TenantState.SUSPENDED,
};

export const updateTenant: Runner = async ({ client, parsed }) => {
  const o = parsed.options;
  const state = typeof o['state'] === 'string' ? STATES[o['state'].toLowerCase()] : undefined;
  if (typeof o['state'] === 'string' && state === undefined) throw new UsageError(`--state: expected active or suspended, got ${JSON.stringify(o['state'])}`);
  const labels = parseLabels((o['label'] as string[] | undefined) ?? []);
  const replaceLabels = o['replace-labels'] === true;
  if (typeof o['name'] !== 'string' && state === undefined && Object.keys(labels).length === 0 && !replaceLabels) {
    throw new UsageError('nothing to change: give --name, --state, --label or --replace-labels');
  }
  const current = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const { tenant } = await client.call((c) => c.updateTenant, {
    tenantId: current.tenantId,
    // The revision just read: a concurrent change fails instead of being overwritten.
    expectedRevision: current.revision,
    name: typeof o['name'] === 'string' ? o['name'] : undefined,
    state,
    labels,
    replaceLabels,
  });
  if (!tenant) throw new Error('UpdateTenant answered without a tenant');
  return { data: tenantJson(tenant), human: `Tenant ${tenant.name} updated (state ${tenantState(tenant.state)}, revision ${tenant.revision})\n` };
};

export const deleteTenant: Runner = async ({ client, parsed }) => {
  const current = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const { tenant } = await client.call((c) => c.deleteTenant, { tenantId: current.tenantId, expectedRevision: current.revision });
  const deleted = tenant ?? current;
  return { data: tenantJson(deleted), human: `Tenant ${current.name} (${current.tenantId?.value ?? '?'}) deleted with its topics and API keys\n` };
};
