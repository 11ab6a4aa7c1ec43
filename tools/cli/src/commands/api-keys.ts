// api-keys create | list | revoke. The secret exists only in CreateApiKey's answer: it is printed
// once here and cannot be shown again.
import { metadataV1 } from '@stratus/contracts';
import { keyValues, table, timestamp } from '../format';
import { resolveTenant, type Runner } from './context';

function keyJson(k: metadataV1.ApiKey, tenantName: string): Record<string, unknown> {
  return {
    keyId: k.keyId,
    tenant: tenantName,
    tenantId: k.tenantId?.value,
    description: k.description,
    state: metadataV1.apiKeyStateToJSON(k.state).replace(/^API_KEY_STATE_/, ''),
    createTime: timestamp(k.createTimeMs),
    scramMechanisms: k.scramMechanisms.map((m) => metadataV1.scramMechanismToJSON(m).replace(/^SCRAM_MECHANISM_/, '').replace(/_/g, '-')),
    superUser: k.superUser,
  };
}

export const createApiKey: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const description = parsed.options['description'];
  const created = await client.call((c) => c.createApiKey, {
    tenantId: tenant.tenantId,
    description: typeof description === 'string' ? description : '',
    scramMechanisms: [],
    superUser: parsed.options['super-user'] === true,
  });
  const key = created.apiKey;
  if (!key) throw new Error('CreateApiKey answered without a key');
  const data = { ...keyJson(key, tenant.name), secret: created.secret };
  const human =
    keyValues([
      ['Tenant', tenant.name],
      ['Key id (SASL username)', key.keyId],
      ['Secret (SASL password)', created.secret],
      ['SASL mechanisms', 'PLAIN, SCRAM-SHA-256, SCRAM-SHA-512'],
      ['Super user (bypasses ACLs)', key.superUser ? 'yes' : 'no'],
    ]) + '\nThe secret is shown only this once: store it now.\n';
  return { data, human };
};

export const listApiKeys: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const { apiKeys } = await client.call((c) => c.listApiKeys, { tenantId: tenant.tenantId, includeRevoked: false });
  const sorted = [...apiKeys].sort((a, b) => Number(a.createTimeMs - b.createTimeMs));
  return {
    data: sorted.map((k) => keyJson(k, tenant.name)),
    human: table(
      ['key id', 'state', 'created', 'super user', 'description'],
      sorted.map((k) => [k.keyId, metadataV1.apiKeyStateToJSON(k.state).replace(/^API_KEY_STATE_/, ''), timestamp(k.createTimeMs), k.superUser ? 'yes' : 'no', k.description]),
      { empty: `No API keys for tenant ${tenant.name}.` },
    ),
  };
};

export const revokeApiKey: Runner = async ({ client, parsed }) => {
  const tenant = await resolveTenant(client, parsed.args['tenant'] ?? '');
  const keyId = parsed.args['key-id'] ?? '';
  // Scoped to the tenant: another tenant's key id answers "not found", like an unknown one.
  const { apiKey } = await client.call((c) => c.revokeApiKey, { keyId, tenantId: tenant.tenantId });
  return {
    data: apiKey ? keyJson(apiKey, tenant.name) : { keyId, state: 'REVOKED' },
    human: `API key ${keyId} of tenant ${tenant.name} revoked: new connections with it fail\n`,
  };
};
