// NodeMembership against a real etcd and metadata app: registration visible to ListNodes and
// watches, re-registration with a new generation after the lease is lost (metadata unreachable
// past the TTL, or the registration removed), and deregistration on close.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { useHarness, type EtcdHandle } from '@stratus/platform-testing';
import { NodeMembership, type LostEvent } from './membership';
import { watchNodes } from './watches';
import { listNodes, metadataClient, quietLogger, startCluster, until, type MetadataProcess } from './int-helpers.testkit';

jest.setTimeout(120_000);

const node = (nodeId: string, az = 'az-1') => ({ nodeId, role: commonV1.NodeRole.REPLICATION, availabilityZone: az, cell: 'cell-1', grpcAddress: `10.0.0.1:${7000 + az.length}` });

describe('NodeMembership over a real metadata service', () => {
  useHarness();
  let etcd: EtcdHandle;
  let metadata: MetadataProcess;
  let client: metadataV1.MetadataServiceClient;

  beforeEach(async () => {
    const cluster = await startCluster();
    etcd = cluster.etcd;
    metadata = cluster.metadata;
    client = metadataClient(metadata.address);
  });
  afterEach(() => client.close());

  it('registers, shows up in ListNodes and watches, and deregisters at once on close', async () => {
    const nodes = watchNodes(client, { role: commonV1.NodeRole.REPLICATION, logger: quietLogger });
    await nodes.ready(20_000);
    const registered: metadataV1.NodeRegistration[] = [];
    const m = NodeMembership.start({ client, logger: quietLogger, node: node('repl-a', 'az-2'), leaseTtlMs: 60_000, version: '1.2.3' });
    m.onRegistered((r) => registered.push(r));
    expect(await m.whenRegistered(20_000)).toBe(true);
    expect(m.generation).toBeGreaterThan(0n);
    expect(registered.map((r) => r.generation)).toEqual([m.generation]);
    const listed = (await listNodes(client)).find((n) => n.node?.nodeId === 'repl-a');
    expect(listed?.node).toEqual({ nodeId: 'repl-a', role: commonV1.NodeRole.REPLICATION, placement: { cell: 'cell-1', availabilityZone: 'az-2' }, grpcAddress: '10.0.0.1:7004' });
    expect(listed?.generation).toBe(m.generation);
    await until('the watch to see the node', () => nodes.get('repl-a')?.generation === m.generation);

    await m.close();
    expect(m.isRegistered).toBe(false);
    // Well inside the 60 s TTL: gone because it deregistered, not because the lease ran out.
    expect((await listNodes(client)).map((n) => n.node?.nodeId)).not.toContain('repl-a');
    await until('the watch to see the node leave', () => !nodes.has('repl-a'));
    nodes.close();
  });

  it('reports the lease lost when metadata is unreachable past the TTL, then registers a new generation', async () => {
    const m = NodeMembership.start({ client, logger: quietLogger, node: node('repl-b'), leaseTtlMs: 2_000, backoff: { initialMs: 50, maxMs: 300 } });
    const lost: LostEvent[] = [];
    const generations: bigint[] = [];
    m.onLost((e) => lost.push(e));
    m.onRegistered((r) => generations.push(r.generation));
    expect(await m.whenRegistered(20_000)).toBe(true);
    const first = m.generation as bigint;

    // A hung metadata process: heartbeats time out, etcd expires the lease meanwhile.
    metadata.handle.pause();
    await until('the lease to be reported lost', () => lost.length > 0, 15_000);
    expect(lost[0]).toMatchObject({ generation: first, reason: 'unreachable' });
    expect(m.isRegistered).toBe(false);
    expect(m.generation).toBeUndefined();
    await new Promise((r) => setTimeout(r, 2_500));
    metadata.handle.resume();

    await until('a new registration', () => m.isRegistered, 30_000);
    expect(m.generation).toBeGreaterThan(first);
    expect(generations).toEqual([first, m.generation]);
    await until('ListNodes to show the new generation', async () => (await listNodes(client)).some((n) => n.node?.nodeId === 'repl-b' && n.generation === m.generation));
    await m.close();
  });

  it('registers again when a heartbeat is rejected because the registration is gone', async () => {
    const m = NodeMembership.start({ client, logger: quietLogger, node: node('repl-c'), leaseTtlMs: 3_000 });
    const lost: LostEvent[] = [];
    m.onLost((e) => lost.push(e));
    expect(await m.whenRegistered(20_000)).toBe(true);
    const first = m.generation as bigint;
    // Remove the registration behind the node's back (as an expired lease would).
    const keys = await etcd.client().getAll().keys();
    const key = keys.find((k) => k.endsWith('/nodes/replication/repl-c'));
    expect(key).toBeDefined();
    await etcd.client().delete().key(key as string).exec();

    await until('the rejection', () => lost.length > 0, 10_000);
    expect(lost[0]).toMatchObject({ generation: first, reason: 'rejected' });
    await until('the new generation', () => (m.generation ?? 0n) > first, 10_000);
    await m.close();
  });

  it('routers get a stable Kafka node id, and their listeners reach peers through ListNodes and WatchNodes', async () => {
    const nodes = watchNodes(client, { role: commonV1.NodeRole.ROUTER, logger: quietLogger });
    await nodes.ready(20_000);
    const listeners = [{ name: 'EXTERNAL', host: 'kafka.example.com', port: 9094, securityProtocol: 'SASL_SSL' }];
    const router = (nodeId: string) => ({ ...node(nodeId), role: commonV1.NodeRole.ROUTER });
    const a = NodeMembership.start({ client, logger: quietLogger, node: router('router-a'), kafkaListeners: listeners, leaseTtlMs: 30_000 });
    const b = NodeMembership.start({ client, logger: quietLogger, node: router('router-b'), leaseTtlMs: 30_000 });
    expect(await a.whenRegistered(20_000)).toBe(true);
    expect(await b.whenRegistered(20_000)).toBe(true);
    const idA = a.registration?.kafkaNodeId ?? 0;
    const idB = b.registration?.kafkaNodeId ?? 0;
    expect(idA).toBeGreaterThan(0);
    expect(idB).toBeGreaterThan(0);
    expect(idA).not.toBe(idB);
    expect(a.registration?.kafkaListeners).toEqual(listeners);
    await until('peers to see router-a with its listeners', () => nodes.get('router-a')?.kafkaListeners.length === 1);
    expect(nodes.get('router-a')?.kafkaNodeId).toBe(idA);
    expect((await listNodes(client)).find((n) => n.node?.nodeId === 'router-a')?.kafkaListeners).toEqual(listeners);

    // A restart (deregister, register again) keeps the id clients know the router by.
    const firstGeneration = a.generation as bigint;
    await a.close();
    const again = NodeMembership.start({ client, logger: quietLogger, node: router('router-a'), kafkaListeners: listeners, leaseTtlMs: 30_000 });
    expect(await again.whenRegistered(20_000)).toBe(true);
    expect(again.generation).toBeGreaterThan(firstGeneration);
    expect(again.registration?.kafkaNodeId).toBe(idA);
    await Promise.all([again.close(), b.close()]);
    nodes.close();
  });

  it('a second process with the same node id waits until the first one is gone', async () => {
    const a = NodeMembership.start({ client, logger: quietLogger, node: node('repl-d'), leaseTtlMs: 30_000 });
    expect(await a.whenRegistered(20_000)).toBe(true);
    const b = NodeMembership.start({ client, logger: quietLogger, node: node('repl-d'), leaseTtlMs: 30_000, backoff: { initialMs: 50, maxMs: 200 } });
    expect(await b.whenRegistered(1_000)).toBe(false);
    await a.close();
    expect(await b.whenRegistered(10_000)).toBe(true);
    expect(b.generation).toBeGreaterThan(0n);
    await b.close();
  });
});
