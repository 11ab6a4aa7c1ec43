// Shared set-up of the integration tests: a real etcd and real metadata app processes on it, and
// promise wrappers for the few RPCs the tests use to cause changes.
import { metadataV1 } from '@stratus/contracts';
import { freePort, startApp, startEtcd, waitFor, type AppHandle, type EtcdHandle } from '@stratus/platform-testing';
import { createMetadataClient } from './client';
import { unaryCall } from './rpc';
import type { WatchLogger } from './types';

export interface MetadataProcess {
  readonly port: number;
  readonly address: string;
  handle: AppHandle;
  /** Stops (SIGTERM) and starts the app again on the same port. */
  restart(): Promise<void>;
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startMetadata(etcd: EtcdHandle): Promise<MetadataProcess> {
  // The same port across restarts, as a Kubernetes Service address stays the same.
  const port = await freePort();
  const launch = () =>
    startApp('metadata', { env: { STRATUS_ETCD_ENDPOINTS: etcd.endpoints.join(','), STRATUS_GRPC_PORT: String(port), STRATUS_LOG_LEVEL: 'warn', STRATUS_SHUTDOWN_GRACE_MS: '1000' } });
  const proc: MetadataProcess = {
    port,
    address: `127.0.0.1:${port}`,
    handle: await launch(),
    restart: async () => {
      await proc.stop();
      await proc.start();
    },
    stop: async () => {
      await proc.handle.stop({ timeoutMs: 10_000 });
    },
    start: async () => {
      proc.handle = await launch();
      await proc.handle.waitReady();
    },
  };
  await proc.handle.waitReady();
  return proc;
}

export async function startCluster(): Promise<{ etcd: EtcdHandle; metadata: MetadataProcess }> {
  const etcd = await startEtcd();
  return { etcd, metadata: await startMetadata(etcd) };
}

export function metadataClient(address: string): metadataV1.MetadataServiceClient {
  return createMetadataClient(address);
}

export const quietLogger: WatchLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A logger that remembers messages, so tests can check what an operator would see. */
export function recordingLogger(): WatchLogger & { messages: string[] } {
  const messages: string[] = [];
  const push = (_o: object, msg?: string) => void messages.push(msg ?? '');
  return { messages, debug: push, info: push, warn: push, error: push };
}

export async function createTenant(client: metadataV1.MetadataServiceClient, name: string): Promise<string> {
  const res = await unaryCall(client, client.createTenant, metadataV1.CreateTenantRequest.fromPartial({ name, cell: 'cell-1' }), 10_000);
  const id = res.tenant?.tenantId?.value;
  if (!id) throw new Error('CreateTenant returned no tenant id');
  return id;
}

export async function createTopic(client: metadataV1.MetadataServiceClient, tenantId: string, name: string, partitions = 1): Promise<Buffer> {
  const res = await unaryCall(
    client,
    client.createTopics,
    metadataV1.CreateTopicsRequest.fromPartial({ tenantId: { value: tenantId }, topics: [{ name, numPartitions: partitions, replicationFactor: -1, configs: {} }], timeoutMs: 5_000 }),
    10_000,
  );
  const result = res.results[0];
  if (!result || (result.error && result.error.code !== 0) || !result.topicId) throw new Error(`CreateTopics ${name}: ${JSON.stringify(result?.error)}`);
  return Buffer.from(result.topicId.value);
}

export async function deleteTopic(client: metadataV1.MetadataServiceClient, tenantId: string, name: string): Promise<void> {
  const res = await unaryCall(
    client,
    client.deleteTopics,
    metadataV1.DeleteTopicsRequest.fromPartial({ tenantId: { value: tenantId }, topics: [{ selector: { $case: 'name', value: name } }], timeoutMs: 5_000 }),
    10_000,
  );
  if (res.results[0]?.error?.code) throw new Error(`DeleteTopics ${name}: ${JSON.stringify(res.results[0].error)}`);
}

export async function listNodes(client: metadataV1.MetadataServiceClient): Promise<metadataV1.NodeRegistration[]> {
  return (await unaryCall(client, client.listNodes, metadataV1.ListNodesRequest.fromPartial({}), 10_000)).nodes;
}

export function until(description: string, predicate: () => boolean | Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  return waitFor(async () => predicate(), { description, timeoutMs, intervalMs: 25 }).then(() => undefined);
}
