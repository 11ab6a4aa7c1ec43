// A simulated network between brokers and replicas: every call may be delayed, lost on the way
// in, or lost on the way back after the replica applied it (the "crash between persisting and
// answering" case). Appends on one link keep their order, as on a gRPC stream; a lost message
// surfaces to the caller as UNAVAILABLE after a timeout, as a deadline would.
import { MemoryReplica } from '../memory-replica';
import type { AppendRequest, ReadRequest, RepairRequest, ReplicaPort, ReplicaResult } from '../replica-port';
import { failure, type Epoch, type ReplicaId } from '../types';
import type { SimClock, SimRandom } from './sim-clock';

export interface NetworkFaults {
  /** Probability that a request, or separately its reply, is lost. */
  dropP: number;
  /** Largest one-way delay in virtual ms (at least 1). */
  maxDelay: number;
}

/** Timeout after which a caller gives up on a lost message. */
const CALL_TIMEOUT = 50;

export interface AppendObserver {
  (broker: string, replica: ReplicaId, epoch: Epoch): void;
}

export class SimNetwork {
  readonly replicas: MemoryReplica[];
  /** Replicas that crash right after applying their next operation, before answering: id → downtime. */
  private readonly crashAfterApply = new Map<ReplicaId, number>();

  constructor(
    private readonly clock: SimClock,
    private readonly rng: SimRandom,
    readonly faults: NetworkFaults,
    ids: readonly ReplicaId[],
    readonly onAppendAccepted: AppendObserver,
  ) {
    this.replicas = ids.map((id) => new MemoryReplica({ id, resolvePeer: (peer) => this.link(`replica:${id}`, peer), repairChunkBytes: 2048 }));
  }

  replica(id: ReplicaId): MemoryReplica {
    const r = this.replicas.find((x) => x.id === id);
    if (!r) throw new Error(`no replica ${id}`);
    return r;
  }

  /** The port a caller (a broker, or a replica repairing) uses to reach replica `id`. */
  link(from: string, id: ReplicaId): ReplicaPort {
    return new SimLink(this, from, this.replica(id));
  }

  armCrashAfterApply(id: ReplicaId, downFor: number): void {
    this.crashAfterApply.set(id, downFor);
  }

  disarmCrashes(): void {
    this.crashAfterApply.clear();
  }

  call<T>(link: SimLink, target: MemoryReplica, invoke: () => Promise<ReplicaResult<T>>, options: { fifo?: boolean; onOk?: (value: T) => void } = {}): Promise<ReplicaResult<T>> {
    const { clock, rng, faults } = this;
    return new Promise((resolve) => {
      const lost = (why: string): void => clock.after(CALL_TIMEOUT, () => resolve(failure({ code: 'UNAVAILABLE', message: `${why} (${link.from} -> ${target.id})` })));
      let deliverAt = clock.now + rng.int(1, faults.maxDelay);
      if (options.fifo) {
        deliverAt = Math.max(deliverAt, link.lastFifoDelivery);
        link.lastFifoDelivery = deliverAt;
      }
      if (rng.chance(faults.dropP)) return lost('request lost');
      clock.after(deliverAt - clock.now, () => {
        if (target.isDown) return lost('replica down');
        invoke().then((result) => {
          if (result.ok) options.onOk?.(result.value);
          const downFor = this.crashAfterApply.get(target.id);
          if (downFor !== undefined) {
            this.crashAfterApply.delete(target.id);
            target.crash();
            clock.after(downFor, () => target.restart());
          }
          if (target.isDown) return lost('replica crashed before answering');
          if (rng.chance(faults.dropP)) return lost('reply lost');
          clock.after(rng.int(1, faults.maxDelay), () => resolve(result));
        });
      });
    });
  }
}

class SimLink implements ReplicaPort {
  lastFifoDelivery = 0;

  constructor(
    private readonly net: SimNetwork,
    readonly from: string,
    private readonly target: MemoryReplica,
  ) {}

  get id(): ReplicaId {
    return this.target.id;
  }

  fence(epoch: Epoch) {
    return this.net.call(this, this.target, () => this.target.fence(epoch));
  }

  append(request: AppendRequest) {
    return this.net.call(this, this.target, () => this.target.append(request), {
      fifo: true,
      onOk: () => this.onAppend(request.epoch),
    });
  }

  truncate(epoch: Epoch, offset: bigint) {
    return this.net.call(this, this.target, () => this.target.truncate(epoch, offset));
  }

  markEpochStart(epoch: Epoch, offset: bigint) {
    return this.net.call(this, this.target, () => this.target.markEpochStart(epoch, offset));
  }

  repair(request: RepairRequest) {
    return this.net.call(this, this.target, () => this.target.repair(request));
  }

  read(request: ReadRequest) {
    return this.net.call(this, this.target, () => this.target.read(request));
  }

  advanceLogStart(epoch: Epoch, offset: bigint) {
    return this.net.call(this, this.target, () => this.target.advanceLogStart(epoch, offset));
  }

  private onAppend(epoch: Epoch): void {
    this.net.onAppendAccepted(this.from, this.target.id, epoch);
  }
}
