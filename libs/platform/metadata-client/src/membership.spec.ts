// NodeMembership against a scripted fake MetadataService client (no network): heartbeat cadence and
// payload, loss on a rejected heartbeat, re-registration, deregistration on close.
import { commonV1, metadataV1 } from '@stratus/contracts';
import { clampLeaseTtlMs, NodeMembership, type LostEvent } from './membership';
import type { WatchLogger } from './types';

type Callback<T> = (err: Error | null, res?: T) => void;

class FakeMetadata {
  generation = 0n;
  heartbeats: metadataV1.HeartbeatRequest[] = [];
  deregistered: metadataV1.DeregisterNodeRequest[] = [];
  rejectNextHeartbeat = false;

  registerNode(req: metadataV1.RegisterNodeRequest, _m: unknown, _o: unknown, cb: Callback<metadataV1.RegisterNodeResponse>): void {
    this.generation += 10n;
    const registration = metadataV1.NodeRegistration.fromPartial({ node: req.node, generation: this.generation, leaseTtlMs: req.leaseTtlMs });
    setImmediate(() => cb(null, { registration }));
  }
  heartbeat(req: metadataV1.HeartbeatRequest, _m: unknown, _o: unknown, cb: Callback<metadataV1.HeartbeatResponse>): void {
    this.heartbeats.push(req);
    const reject = this.rejectNextHeartbeat;
    this.rejectNextHeartbeat = false;
    setImmediate(() => cb(null, reject ? { error: { code: 73, message: 'stale' }, leaseRemainingMs: 0n } : { error: { code: 0, message: '' }, leaseRemainingMs: 1_000n }));
  }
  deregisterNode(req: metadataV1.DeregisterNodeRequest, _m: unknown, _o: unknown, cb: Callback<metadataV1.DeregisterNodeResponse>): void {
    this.deregistered.push(req);
    setImmediate(() => cb(null, {}));
  }
}

const silent: WatchLogger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const node = { nodeId: 'n1', role: commonV1.NodeRole.BROKER, availabilityZone: 'az-1', cell: 'c1', grpcAddress: '10.0.0.1:7002' };

async function until(predicate: () => boolean, ms = 5_000): Promise<void> {
  const start = Date.now();
  while (!predicate()) {
    if (Date.now() - start > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('NodeMembership', () => {
  it('clamps the lease TTL to whole seconds in the server range', () => {
    expect(clampLeaseTtlMs(undefined)).toBe(10_000);
    expect(clampLeaseTtlMs(10)).toBe(1_000);
    expect(clampLeaseTtlMs(2_500)).toBe(3_000);
    expect(clampLeaseTtlMs(10 * 60_000)).toBe(300_000);
    expect(clampLeaseTtlMs(Number.NaN)).toBe(10_000);
  });

  it('heartbeats with its generation and health, re-registers after a rejected heartbeat, deregisters on close', async () => {
    const fake = new FakeMetadata();
    let healthy = true;
    const m = NodeMembership.start({
      client: fake as unknown as metadataV1.MetadataServiceClient,
      logger: silent,
      node,
      leaseTtlMs: 1_000,
      health: () => {
        if (!healthy) throw new Error('health probe bug');
        return { health: metadataV1.NodeHealth.READY, load: metadataV1.NodeLoad.fromPartial({ partitionCount: 4 }) };
      },
    });
    const lost: LostEvent[] = [];
    m.onLost((e) => lost.push(e));
    expect(await m.whenRegistered(2_000)).toBe(true);
    expect(m.generation).toBe(10n);
    await until(() => fake.heartbeats.length >= 2);
    expect(fake.heartbeats[0]).toMatchObject({ nodeId: 'n1', generation: 10n, health: metadataV1.NodeHealth.READY, load: { partitionCount: 4 } });

    healthy = false;
    const seen = fake.heartbeats.length;
    await until(() => fake.heartbeats.length > seen);
    expect(fake.heartbeats[fake.heartbeats.length - 1]?.health).toBe(metadataV1.NodeHealth.DEGRADED);

    fake.rejectNextHeartbeat = true;
    await until(() => lost.length === 1 && m.generation === 20n);
    expect(lost[0]).toMatchObject({ generation: 10n, reason: 'rejected' });

    await m.close();
    expect(fake.deregistered).toEqual([{ nodeId: 'n1', generation: 20n }]);
    const after = fake.heartbeats.length;
    await new Promise((r) => setTimeout(r, 700));
    expect(fake.heartbeats.length).toBe(after);
    expect(await m.whenRegistered(10)).toBe(false);
  });

  it('a registration answered after close() is deregistered, not left to expire', async () => {
    const fake = new FakeMetadata();
    const m = NodeMembership.start({ client: fake as unknown as metadataV1.MetadataServiceClient, logger: silent, node, leaseTtlMs: 1_000 });
    await m.close(); // before the fake answered RegisterNode
    await until(() => fake.deregistered.length === 1);
    expect(fake.deregistered[0]).toEqual({ nodeId: 'n1', generation: 10n });
    expect(m.isRegistered).toBe(false);
  });

  it('presumes the lease lost when no heartbeat succeeds for a whole TTL', async () => {
    const fake = new FakeMetadata();
    const m = NodeMembership.start({ client: fake as unknown as metadataV1.MetadataServiceClient, logger: silent, node, leaseTtlMs: 1_000 });
    expect(await m.whenRegistered(2_000)).toBe(true);
    // From now on heartbeats fail at the transport level (metadata unreachable).
    fake.heartbeat = (_req, _m, _o, cb) => setImmediate(() => cb(new Error('14 UNAVAILABLE')));
    const lost: LostEvent[] = [];
    m.onLost((e) => lost.push(e));
    await until(() => lost.length === 1, 3_000);
    expect(lost[0]).toMatchObject({ generation: 10n, reason: 'unreachable' });
    // It registers again (the fake still accepts registrations).
    await until(() => m.generation === 20n);
    await m.close();
  });
});
