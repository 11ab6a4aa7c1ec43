// Bringing a lagging replica back into the in-sync set while the leader keeps serving (design
// note: "a replica that falls behind or was down is repaired from a peer, not by the leader
// re-sending everything"). Fence it with our epoch, cut a divergent tail (KIP-279), let it copy
// from the most advanced peer, and once the rest is in the tail cache, make it join the stream.
import type { Frame } from './batch-frames';
import type { Follower, Followers } from './followers';
import type { LeaderScheduler } from './leader-types';
import { reconcile, type Truth } from './reconcile';
import type { Epoch } from './types';

/** What the sync loop needs of its leader. */
export interface SyncedLeader {
  serving(): boolean;
  truth(): Truth;
  flushedEnd(): bigint;
  cached(from: bigint, to: bigint): Frame[] | undefined;
  /** Switch `f` to in-sync, sending it `frames` first (synchronously, so order is kept). */
  join(f: Follower, frames: readonly Frame[]): void;
  fenced(promisedEpoch: Epoch): void;
}

export interface ReplicaSyncOptions {
  readonly epoch: Epoch;
  readonly followers: Followers;
  readonly scheduler: LeaderScheduler;
  readonly retryBackoffMs: number;
  readonly leader: SyncedLeader;
}

type Attempt = 'joined' | 'retry' | 'stop';

/** Repair rounds per attempt: each copies up to a peer's acknowledged end, which keeps moving. */
const MAX_REPAIR_ROUNDS = 8;

export class ReplicaSync {
  constructor(private readonly options: ReplicaSyncOptions) {}

  /** Starts (once per replica) the loop that brings `f` back; it ends when joined or the leader stops. */
  catchUp(f: Follower): void {
    if (f.catchingUp) return;
    f.catchingUp = true;
    void this.loop(f).finally(() => {
      f.catchingUp = false;
      // It may have joined and dropped out again before this loop noticed: start over then.
      if (this.options.leader.serving() && f.status === 'lagging') this.catchUp(f);
    });
  }

  private async loop(f: Follower): Promise<void> {
    const { leader, scheduler, retryBackoffMs } = this.options;
    while (leader.serving() && f.status === 'lagging') {
      const attempt = await this.attempt(f).catch((): Attempt => 'retry');
      if (attempt !== 'retry') return;
      await scheduler.sleep(retryBackoffMs);
    }
  }

  private async attempt(f: Follower): Promise<Attempt> {
    const { epoch, leader, followers } = this.options;
    const fenced = await f.port.fence(epoch);
    if (!leader.serving()) return 'stop';
    if (!fenced.ok) return this.failed(fenced.error);
    const cut = await reconcile(f.port, epoch, fenced.value, leader.truth());
    if (!leader.serving()) return 'stop';
    if (!cut.ok) return cut.error.code === 'CANNOT_TRUNCATE' ? 'retry' : this.failed(cut.error);
    let end = cut.value.logEnd;
    // Its log is now a prefix of ours, durably: that counts towards the high watermark.
    followers.acknowledge(f, end);
    for (let round = 0; round < MAX_REPAIR_ROUNDS; round++) {
      const flushed = leader.flushedEnd();
      if (end === flushed) {
        leader.join(f, []);
        return 'joined';
      }
      const frames = end < flushed ? leader.cached(end, flushed) : undefined;
      if (frames && frames.length > 0 && (frames[0] as Frame).baseOffset === end) {
        leader.join(f, frames);
        return 'joined';
      }
      const source = followers.holding(end, f)[0];
      if (!source) return 'retry';
      const copied = await f.port.repair({
        epoch,
        startOffset: end,
        endOffset: source.ackedEnd,
        source: source.port.id,
        sourceEpochHistory: leader.truth().epochHistory,
      });
      if (!leader.serving()) return 'stop';
      if (!copied.ok) return this.failed(copied.error);
      end = copied.value.logEnd;
      followers.acknowledge(f, end);
    }
    return 'retry';
  }

  private failed(error: { readonly code: string; readonly promisedEpoch?: Epoch | undefined }): Attempt {
    if (error.code === 'FENCED' && error.promisedEpoch !== undefined) {
      this.options.leader.fenced(error.promisedEpoch);
      return 'stop';
    }
    return 'retry';
  }
}
