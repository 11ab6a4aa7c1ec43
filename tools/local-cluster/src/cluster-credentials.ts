// After start-up the local cluster gets a tenant `default` and an API key, saved in
// <data dir>/cluster.json so Kafka clients (and the next `npm start`) can use them. A saved key is
// reused while the metadata service still accepts it; otherwise a new key is made.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { status, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall } from '@stratus/platform-grpc';

export const DEFAULT_TENANT = 'default';

export interface ClusterCredentials {
  readonly bootstrap: string;
  readonly saslMechanism: 'SCRAM-SHA-256' | 'PLAIN';
  readonly username: string;
  readonly password: string;
  readonly tenant: string;
  /** host:port of the metadata gRPC API: the `stratus` admin CLI's default --metadata. */
  readonly metadataAddress: string;
}

export interface EnsureCredentialsOptions {
  readonly dataDir: string;
  /** host:port of the metadata gRPC API. */
  readonly metadataAddress: string;
  /** host:port Kafka clients bootstrap from. */
  readonly bootstrap: string;
}

export function clusterFilePath(dataDir: string): string {
  return join(dataDir, 'cluster.json');
}

function readSaved(path: string): ClusterCredentials | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Partial<ClusterCredentials>;
    return typeof saved.username === 'string' && typeof saved.password === 'string' && typeof saved.tenant === 'string'
      ? (saved as ClusterCredentials)
      : undefined;
  } catch {
    // A damaged file is replaced by a fresh key rather than stopping the cluster.
    return undefined;
  }
}

/** Reuses the saved key when metadata still verifies it, else creates (or finds) the tenant and a new key. */
export async function ensureClusterCredentials(options: EnsureCredentialsOptions): Promise<{ credentials: ClusterCredentials; reused: boolean }> {
  const client = createGrpcClient(metadataV1.MetadataServiceClient, options.metadataAddress);
  try {
    const path = clusterFilePath(options.dataDir);
    const saved = readSaved(path);
    if (saved) {
      const check = await unaryCall(client, client.verifyPlainCredential, {
        username: saved.username,
        password: saved.password,
      }, { timeoutMs: 10_000 });
      if (check.authenticated) {
        const credentials: ClusterCredentials = { ...saved, bootstrap: options.bootstrap, saslMechanism: 'SCRAM-SHA-256', metadataAddress: options.metadataAddress };
        writeFileSync(path, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
        return { credentials, reused: true };
      }
    }
    const tenantId = await findOrCreateTenant(client);
    const key = await unaryCall(client, client.createApiKey, {
      tenantId,
      description: 'local cluster (npm start)',
      scramMechanisms: [],
      superUser: false,
    }, { timeoutMs: 10_000 });
    const credentials: ClusterCredentials = {
      bootstrap: options.bootstrap,
      saslMechanism: 'SCRAM-SHA-256',
      username: key.apiKey?.keyId ?? '',
      password: key.secret,
      tenant: DEFAULT_TENANT,
      metadataAddress: options.metadataAddress,
    };
    // Owner-only: the file holds a secret.
    writeFileSync(path, JSON.stringify(credentials, null, 2) + '\n', { mode: 0o600 });
    return { credentials, reused: false };
  } finally {
    client.close();
  }
}

async function findOrCreateTenant(client: metadataV1.MetadataServiceClient): Promise<metadataV1.CreateApiKeyRequest['tenantId']> {
  try {
    const found = await unaryCall(client, client.getTenant, {
      selector: { $case: 'name', value: DEFAULT_TENANT },
    }, { timeoutMs: 10_000 });
    if (found.tenant?.tenantId) return found.tenant.tenantId;
  } catch (error) {
    if ((error as ServiceError).code !== status.NOT_FOUND) throw error;
  }
  const created = await unaryCall(client, client.createTenant, {
    name: DEFAULT_TENANT,
    cell: '',
    // Kafka's broker default (auto.create.topics.enable=true), so the printed `kcat -P -t demo`
    // and a first producer just work on a laptop; tenants elsewhere opt in (docs/router.md).
    labels: { 'auto.create.topics.enable': 'true' },
  }, { timeoutMs: 10_000 });
  return created.tenant?.tenantId;
}
