// The leader's view of its replicas: who is in sync, how far each has acknowledged, and the high
// watermark that follows from it (design note, "Writes while serving").
import type { ReplicaPort } from './replica-port';
import { maxBigint, type ReplicaId } from './types';

export interface Follower {
  readonly port: ReplicaPort;
  /** in-sync: receives every append in order. lagging: being fenced/reconciled/repaired back. */
  status: 'in-sync' | 'lagging';
  /**
   * The highest log end this replica confirmed under our epoch, with everything below it equal to
   * our log. A fact about durable data, so it only grows, even after the replica drops out.
   */
  ackedEnd: bigint;
  /** Bumped whenever the replica (re)joins, so failures of appends from an older session are ignored. */
  session: number;
  catchingUp: boolean;
}

export class Followers {
  readonly all: Follower[];

  constructor(ports: readonly ReplicaPort[]) {
    this.all = ports.map((port) => ({ port, status: 'lagging', ackedEnd: -1n, session: 0, catchingUp: false }));
  }

  inSync(): Follower[] {
    return this.all.filter((f) => f.status === 'in-sync');
  }

  get inSyncCount(): number {
    let n = 0;
    for (const f of this.all) if (f.status === 'in-sync') n++;
    return n;
  }

  byId(id: ReplicaId): Follower | undefined {
    return this.all.find((f) => f.port.id === id);
  }

  acknowledge(f: Follower, logEnd: bigint): void {
    f.ackedEnd = maxBigint(f.ackedEnd, logEnd);
  }

  /** The highest offset below which W replicas hold everything: the W-th largest acknowledged end. */
  quorumEnd(writeQuorum: number): bigint {
    const ends = this.all.map((f) => f.ackedEnd).sort((a, b) => (a > b ? -1 : a < b ? 1 : 0));
    return ends[writeQuorum - 1] ?? -1n;
  }

  /** The largest acknowledged end (acks=1 completes there). */
  maxEnd(): bigint {
    return this.all.reduce((m, f) => maxBigint(m, f.ackedEnd), -1n);
  }

  /** Replicas that acknowledged beyond `offset`, most advanced first: where reads and repairs go. */
  holding(offset: bigint, except?: Follower): Follower[] {
    return this.all.filter((f) => f !== except && f.ackedEnd > offset).sort((a, b) => (a.ackedEnd > b.ackedEnd ? -1 : a.ackedEnd < b.ackedEnd ? 1 : 0));
  }
}
