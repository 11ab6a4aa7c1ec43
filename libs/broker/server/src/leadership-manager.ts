// Turns the controller's partition assignments into serving partition leaders on this broker
// (issue 6 "Leadership", design/replication-protocol.md "Leader recovery").
//
// Rules it keeps:
// - It leads a partition only for an assignment naming this node AND its current registration
//   generation: an assignment made to a previous incarnation is a zombie's (KIP-380 style).
// - Recovery runs at most once per (partition, epoch). A failed run may already have marked the
//   epoch's start on some replicas; running again under the same epoch could settle on another
//   end and break log matching (see recoverLeadership). A retry therefore waits for a NEW epoch;
//   `requestNewEpoch` (if given) asks the controller for one, with backoff.
// - It stops a partition at once when the assignment moves away, the epoch changes, the lease is
//   lost (stopAll) or a replica fences the leader.
import { PartitionLeader, epoch as toEpoch, type EpochStart, type LeaderStartError, type PartitionLeaderOptions } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import type { Logger } from '@stratus/platform-logging';
import type { LeaderDirectory, LeadershipChange } from './leader-directory';
import { observePort } from './observed-port';
import { leaderSettings } from './topic-settings';
import { partitionKeyOf, topicHexOf, type Assignment, type LeaderInfo, type PartitionKey, type ReplicaPortFactory, type TopicLookup } from './types';

export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error'>;

export interface LeadershipManagerOptions {
  readonly nodeId: string;
  readonly replicaPorts: ReplicaPortFactory;
  readonly topics: TopicLookup;
  readonly log: Log;
  readonly tailCacheBytes?: number;
  /**
   * Asks the controller for a new leader epoch after a failed recovery. Called with backoff
   * (first after `retryInitialMs`, doubling up to `retryMaxMs`) until a new epoch arrives.
   */
  readonly requestNewEpoch?: (assignment: Assignment, error: LeaderStartError) => Promise<void>;
  readonly retryInitialMs?: number;
  readonly retryMaxMs?: number;
  /** Passed through to every PartitionLeader (clock, scheduler, group commit size ...). */
  readonly leaderOptions?: Partial<Pick<PartitionLeaderOptions, 'clock' | 'scheduler' | 'maxAppendBytes' | 'retryBackoffMs' | 'producerStateScanOffsets'>>;
}

type Phase = 'recovering' | 'serving' | 'failed';

interface Slot {
  readonly key: PartitionKey;
  readonly assignment: Assignment;
  phase: Phase;
  leader: PartitionLeader | undefined;
  history: readonly EpochStart[] | undefined;
  /** Set when the slot was dropped while recovery still ran: resign as soon as it returns. */
  dropped: boolean;
  retryTimer: NodeJS.Timeout | undefined;
}

export class LeadershipManager implements LeaderDirectory {
  private generation: bigint | undefined;
  private assignments = new Map<PartitionKey, Assignment>();
  private readonly slots = new Map<PartitionKey, Slot>();
  /** Highest epoch a recovery was ever started under, per partition: never twice the same. */
  private readonly attempted = new Map<PartitionKey, number>();
  private readonly changeListeners = new Set<(change: LeadershipChange) => void>();
  private readonly activity = new Map<PartitionKey, Set<() => void>>();
  private closed = false;

  constructor(private readonly options: LeadershipManagerOptions) {}

  // ---- inputs ---------------------------------------------------------------------------------

  /** The registration generation from NodeMembership; undefined while not registered (stops all). */
  setGeneration(generation: bigint | undefined): void {
    if (generation === this.generation) return;
    this.generation = generation;
    if (generation === undefined) this.stopAll('lease lost');
    else this.reconcile();
  }

  /** The full current set of known assignments (a watch snapshot after every change). */
  sync(assignments: Iterable<Assignment>): void {
    const next = new Map<PartitionKey, Assignment>();
    for (const a of assignments) next.set(partitionKeyOf(a.partition), a);
    this.assignments = next;
    this.reconcile();
  }

  /** Lease lost or shutting down: every partition stops serving at once. */
  stopAll(reason: string): void {
    for (const key of [...this.slots.keys()]) this.drop(key, reason);
  }

  close(): void {
    this.closed = true;
    this.stopAll('shutdown');
  }

  // ---- LeaderDirectory ------------------------------------------------------------------------

  get(partition: commonV1.PartitionRef): PartitionLeader | undefined {
    const slot = this.slots.get(partitionKeyOf(partition));
    return slot?.phase === 'serving' && slot.leader?.isServing ? slot.leader : undefined;
  }

  epochHistory(partition: commonV1.PartitionRef): readonly EpochStart[] | undefined {
    const slot = this.slots.get(partitionKeyOf(partition));
    return slot?.phase === 'serving' ? slot.history : undefined;
  }

  leaderInfo(partition: commonV1.PartitionRef): LeaderInfo | undefined {
    const a = this.assignments.get(partitionKeyOf(partition));
    return a && { leaderNodeId: a.leaderNodeId, leaderEpoch: a.leaderEpoch, tenantId: a.tenantId };
  }

  served(): readonly { readonly partition: commonV1.PartitionRef; readonly leader: PartitionLeader }[] {
    const out: { partition: commonV1.PartitionRef; leader: PartitionLeader }[] = [];
    for (const slot of this.slots.values()) {
      if (slot.phase === 'serving' && slot.leader?.isServing) out.push({ partition: slot.assignment.partition, leader: slot.leader });
    }
    return out;
  }

  onLeadershipChange(listener: (change: LeadershipChange) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  onActivity(partition: commonV1.PartitionRef, listener: () => void): () => void {
    const key = partitionKeyOf(partition);
    let set = this.activity.get(key);
    if (!set) {
      set = new Set();
      this.activity.set(key, set);
    }
    set.add(listener);
    return () => {
      set.delete(listener);
      if (set.size === 0 && this.activity.get(key) === set) this.activity.delete(key);
    };
  }

  /** For logs, metrics and tests: the phase of every partition assigned here. */
  phases(): ReadonlyMap<PartitionKey, { readonly epoch: number; readonly phase: Phase }> {
    return new Map([...this.slots].map(([k, s]) => [k, { epoch: s.assignment.leaderEpoch, phase: s.phase }]));
  }

  // ---- reconciliation -------------------------------------------------------------------------

  private mine(a: Assignment): boolean {
    return (
      this.generation !== undefined &&
      a.leaderNodeId === this.options.nodeId &&
      // 0 = the controller did not record a generation (older records): trust the node id alone.
      (a.leaderGeneration === 0n || a.leaderGeneration === this.generation)
    );
  }

  private reconcile(): void {
    if (this.closed) return;
    for (const [key, slot] of [...this.slots]) {
      const a = this.assignments.get(key);
      if (!a || !this.mine(a)) this.drop(key, a ? `now led by ${a.leaderNodeId || 'nobody'}` : 'assignment removed');
      else if (a.leaderEpoch !== slot.assignment.leaderEpoch) this.drop(key, `epoch ${slot.assignment.leaderEpoch} replaced by ${a.leaderEpoch}`);
    }
    for (const [key, a] of this.assignments) {
      if (!this.mine(a) || this.slots.has(key)) continue;
      if (a.leaderEpoch <= (this.attempted.get(key) ?? -1)) continue;
      this.start(key, a);
    }
  }

  private start(key: PartitionKey, a: Assignment): void {
    this.attempted.set(key, a.leaderEpoch);
    const slot: Slot = { key, assignment: a, phase: 'recovering', leader: undefined, history: undefined, dropped: false, retryTimer: undefined };
    this.slots.set(key, slot);
    void this.recover(slot).catch((err: unknown) => {
      // recover() handles every expected outcome as a value; this is a bug or a factory fault.
      this.options.log.error({ err, partition: key, epoch: a.leaderEpoch }, 'partition recovery threw');
      this.failed(slot, { code: 'UNAVAILABLE', message: String(err) });
    });
  }

  private async recover(slot: Slot): Promise<void> {
    const a = slot.assignment;
    const topic = this.options.topics(topicHexOf(a.partition));
    const settings = leaderSettings(topic?.configs, a.replicaNodeIds.length);
    if (settings.ignored.length > 0) this.options.log.warn({ partition: slot.key, ignored: settings.ignored }, 'unusable topic config overrides; defaults apply');
    const epoch = toEpoch(a.leaderEpoch);
    const ports = a.replicaNodeIds.map((id) =>
      observePort(this.options.replicaPorts(id, a.partition), {
        appendSettled: () => this.notify(slot.key),
        epochMarked: (marked, history) => {
          if (marked === epoch && slot.history === undefined) slot.history = history;
        },
      }),
    );
    const started = Date.now();
    const result = await PartitionLeader.start({
      ...this.options.leaderOptions,
      epoch,
      replicas: ports,
      minInsyncReplicas: settings.minInsyncReplicas,
      maxMessageBytes: settings.maxMessageBytes,
      timestamps: settings.timestamps,
      ...(this.options.tailCacheBytes !== undefined ? { tailCacheBytes: this.options.tailCacheBytes } : {}),
      onStop: (reason) => {
        if (reason.kind === 'fenced') this.onFenced(slot, reason.promisedEpoch);
      },
    });
    if (!result.ok) {
      this.failed(slot, result.error);
      return;
    }
    const leader = result.value;
    if (slot.dropped || this.slots.get(slot.key) !== slot) {
      leader.resign();
      return;
    }
    slot.leader = leader;
    slot.phase = 'serving';
    const snap = leader.snapshot();
    this.options.log.info(
      { partition: slot.key, epoch: a.leaderEpoch, logEnd: String(snap.logEnd), logStart: String(snap.logStart), inSync: snap.inSync, recoveryMs: Date.now() - started },
      'partition leadership recovered; serving',
    );
    this.emit({ kind: 'serving', key: slot.key, partition: a.partition, epoch: a.leaderEpoch, leader });
    this.notify(slot.key);
  }

  private failed(slot: Slot, error: LeaderStartError): void {
    if (this.slots.get(slot.key) !== slot || slot.dropped) return;
    slot.phase = 'failed';
    this.options.log.warn(
      { partition: slot.key, epoch: slot.assignment.leaderEpoch, error },
      'partition recovery failed; waiting for a new epoch from the controller (never retried under the same epoch)',
    );
    const ask = this.options.requestNewEpoch;
    if (!ask) return;
    let delay = this.options.retryInitialMs ?? 500;
    const max = this.options.retryMaxMs ?? 30_000;
    const tick = (): void => {
      slot.retryTimer = undefined;
      if (this.slots.get(slot.key) !== slot || slot.dropped) return;
      ask(slot.assignment, error).catch((err: unknown) => this.options.log.warn({ err, partition: slot.key }, 'asking for a new leader epoch failed'));
      delay = Math.min(max, delay * 2);
      slot.retryTimer = setTimeout(tick, delay);
      slot.retryTimer.unref?.();
    };
    slot.retryTimer = setTimeout(tick, delay);
    slot.retryTimer.unref?.();
  }

  private onFenced(slot: Slot, promisedEpoch: number): void {
    if (this.slots.get(slot.key) !== slot) return;
    this.options.log.warn({ partition: slot.key, epoch: slot.assignment.leaderEpoch, promisedEpoch }, 'fenced by a newer leader epoch; stopped serving');
    this.slots.delete(slot.key);
    this.emit({ kind: 'stopped', key: slot.key, partition: slot.assignment.partition, epoch: slot.assignment.leaderEpoch, reason: `fenced by epoch ${promisedEpoch}` });
    this.notify(slot.key);
  }

  private drop(key: PartitionKey, reason: string): void {
    const slot = this.slots.get(key);
    if (!slot) return;
    this.slots.delete(key);
    slot.dropped = true;
    if (slot.retryTimer) clearTimeout(slot.retryTimer);
    const wasServing = slot.phase === 'serving';
    slot.leader?.resign();
    if (wasServing) {
      this.options.log.info({ partition: key, epoch: slot.assignment.leaderEpoch, reason }, 'stopped serving partition');
      this.emit({ kind: 'stopped', key, partition: slot.assignment.partition, epoch: slot.assignment.leaderEpoch, reason });
    }
    this.notify(key);
  }

  private emit(change: LeadershipChange): void {
    for (const listener of [...this.changeListeners]) {
      try {
        listener(change);
      } catch (err) {
        this.options.log.error({ err }, 'leadership change listener threw');
      }
    }
  }

  private notify(key: PartitionKey): void {
    const set = this.activity.get(key);
    if (!set) return;
    for (const listener of [...set]) listener();
  }
}
