// A ReplicaPort wrapper whose append answers can be held back, so tests can observe the leader
// between "written" and "acknowledged".
import type { AppendRequest, ReplicaPort, ReplicaResult } from '../replica-port';
import type { Epoch } from '../types';

export class HoldablePort implements ReplicaPort {
  private held: (() => void)[] | undefined;

  constructor(private readonly inner: ReplicaPort) {}

  get id() {
    return this.inner.id;
  }

  /** From now on append answers wait until release(); the append itself still happens at once. */
  hold(): void {
    this.held ??= [];
  }

  release(): void {
    const pending = this.held ?? [];
    this.held = undefined;
    for (const answer of pending) answer();
  }

  async append(request: AppendRequest): Promise<ReplicaResult<{ readonly logEnd: bigint }>> {
    const result = await this.inner.append(request);
    const held = this.held;
    if (!held) return result;
    return new Promise((resolve) => held.push(() => resolve(result)));
  }

  fence(epoch: Epoch) {
    return this.inner.fence(epoch);
  }
  truncate(epoch: Epoch, offset: bigint) {
    return this.inner.truncate(epoch, offset);
  }
  markEpochStart(epoch: Epoch, offset: bigint) {
    return this.inner.markEpochStart(epoch, offset);
  }
  repair(request: Parameters<ReplicaPort['repair']>[0]) {
    return this.inner.repair(request);
  }
  read(request: Parameters<ReplicaPort['read']>[0]) {
    return this.inner.read(request);
  }
  advanceLogStart(epoch: Epoch, offset: bigint) {
    return this.inner.advanceLogStart(epoch, offset);
  }
}
