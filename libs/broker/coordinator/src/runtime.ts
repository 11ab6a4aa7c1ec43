// CoordinatorRuntime: the group coordinators of every offsets-topic partition this broker leads.
// On gaining a partition it replays the partition's records into a fresh GroupCoordinator
// (COORDINATOR_LOAD_IN_PROGRESS meanwhile), then serves; on losing it, it drops the state and
// answers NOT_COORDINATOR so clients look the coordinator up again (ARCHITECTURE.md "Coordinators").
import { ErrorCode } from '@stratus/kafka-errors';
import { GroupCoordinator, type GroupConfig, type GroupKey, type TopicCatalog } from '@stratus/broker-groups';
import { coordinatorPartition } from '@stratus/coordinator-keys';
import type { OffsetsLog, OffsetsLogError } from './offsets-log';
import { PartitionCoordinator } from './partition-coordinator';
import { readAllRecords } from './records-io';
import { notServed, served, type Served } from './served';
import { realTimers, type CoordinatorTimers } from './timers';

/** Which offsets-topic partitions this broker leads, with the log of each (a LeaderDirectory view). */
export interface OffsetsLeadership {
  current(): ReadonlyMap<number, OffsetsLog>;
  /** `log` undefined = leadership lost. Returns an unsubscribe function. */
  onChange(listener: (partition: number, log: OffsetsLog | undefined) => void): () => void;
}

export interface CoordinatorEvents {
  loaded?(partition: number, info: { records: number; endOffset: bigint }): void;
  loadFailed?(partition: number, error: OffsetsLogError): void;
  writeFailed?(partition: number, error: OffsetsLogError): void;
}

export interface CoordinatorRuntimeOptions {
  /** The offsets topic's partition count; must match the topic (the router hashes with it too). */
  readonly partitionCount: number;
  /** The tenant's topics now, for KIP-848 assignment and topic-id OffsetCommit/OffsetFetch. */
  readonly topics: (tenantId: string) => TopicCatalog;
  readonly config?: Partial<GroupConfig>;
  readonly clock?: () => number;
  readonly timers?: CoordinatorTimers;
  readonly newId?: () => string;
  readonly events?: CoordinatorEvents;
}

type Slot =
  | { readonly state: 'loading'; readonly log: OffsetsLog; readonly generation: number; readonly ready: Promise<Served<true>> }
  | { readonly state: 'active'; readonly log: OffsetsLog; readonly generation: number; readonly coordinator: PartitionCoordinator };

export class CoordinatorRuntime {
  readonly partitionCount: number;
  private readonly slots = new Map<number, Slot>();
  private readonly clock: () => number;
  private readonly timers: CoordinatorTimers;
  private generation = 0;

  constructor(private readonly opts: CoordinatorRuntimeOptions) {
    coordinatorPartition('', opts.partitionCount); // validates the count (RangeError on a bad config)
    this.partitionCount = opts.partitionCount;
    this.clock = opts.clock ?? Date.now;
    this.timers = opts.timers ?? realTimers;
  }

  /** The tenant's topic catalog (see options.topics). */
  topics(tenantId: string): TopicCatalog {
    return this.opts.topics(tenantId);
  }

  /** Follows a leadership view: loads what it leads now and every later change. */
  attach(leadership: OffsetsLeadership): () => void {
    const off = leadership.onChange((p, log) => (log ? void this.becomeLeader(p, log) : this.resign(p)));
    for (const [p, log] of leadership.current()) void this.becomeLeader(p, log);
    return off;
  }

  /** Loads partition `p` from `log` and serves it; resolves when it serves (or the load failed/was superseded). */
  becomeLeader(p: number, log: OffsetsLog): Promise<Served<true>> {
    this.checkPartition(p);
    const existing = this.slots.get(p);
    if (existing?.log === log) return existing.state === 'active' ? Promise.resolve(served(true)) : existing.ready;
    this.resign(p);
    const generation = ++this.generation;
    const ready = this.load(p, log, generation);
    this.slots.set(p, { state: 'loading', log, generation, ready });
    return ready;
  }

  private async load(p: number, log: OffsetsLog, generation: number): Promise<Served<true>> {
    await Promise.resolve(); // the slot is registered before the first read
    const read = await readAllRecords(log);
    if (this.slots.get(p)?.generation !== generation) return notServed(ErrorCode.NOT_COORDINATOR);
    if (!read.ok) {
      this.slots.delete(p);
      this.opts.events?.loadFailed?.(p, read.error);
      return notServed(ErrorCode.NOT_COORDINATOR);
    }
    const core = GroupCoordinator.replay(read.records, {
      clock: this.clock,
      ...(this.opts.config ? { config: this.opts.config } : {}),
      ...(this.opts.newId ? { newId: this.opts.newId } : {}),
    });
    const coordinator = new PartitionCoordinator({
      partition: p,
      log,
      coordinator: core,
      clock: this.clock,
      timers: this.timers,
      onWriteFailure: (error) => this.onWriteFailure(p, generation, log, error),
    });
    this.slots.set(p, { state: 'active', log, generation, coordinator });
    this.opts.events?.loaded?.(p, { records: read.records.length, endOffset: read.endOffset });
    return served(true);
  }

  /** Leadership of `p` is gone: drop its state; its parked requests answer NOT_COORDINATOR. */
  resign(p: number): void {
    const slot = this.slots.get(p);
    if (!slot) return;
    this.slots.delete(p);
    if (slot.state === 'active') slot.coordinator.close(ErrorCode.NOT_COORDINATOR);
  }

  /** Stops everything (broker shutdown). */
  close(): void {
    for (const p of [...this.slots.keys()]) this.resign(p);
  }

  /** The offsets-topic partition of an internal group key (see @stratus/coordinator-keys). */
  partitionOf(key: GroupKey): number {
    return coordinatorPartition(key, this.partitionCount);
  }

  /** The coordinator of `key` here, or NOT_COORDINATOR / COORDINATOR_LOAD_IN_PROGRESS. */
  coordinatorFor(key: GroupKey): Served<PartitionCoordinator> {
    const slot = this.slots.get(this.partitionOf(key));
    if (!slot) return notServed(ErrorCode.NOT_COORDINATOR);
    if (slot.state === 'loading') return notServed(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    return served(slot.coordinator);
  }

  /** Every serving coordinator; `loading` tells whether some partition led here is still loading (ListGroups answers that). */
  serving(): { coordinators: PartitionCoordinator[]; loading: boolean } {
    const coordinators: PartitionCoordinator[] = [];
    let loading = false;
    for (const slot of this.slots.values()) {
      if (slot.state === 'loading') loading = true;
      else coordinators.push(slot.coordinator);
    }
    return { coordinators, loading };
  }

  /** Partitions led here and their state, for readiness and metrics. */
  status(): { partition: number; state: 'loading' | 'active' }[] {
    return [...this.slots.entries()].sort(([a], [b]) => a - b).map(([partition, s]) => ({ partition, state: s.state }));
  }

  /**
   * A failed append leaves memory possibly ahead of the log. The log is the truth: reload from it
   * while we still lead (a fenced log fails the reload and the partition stays unserved until
   * leadership says otherwise).
   */
  private onWriteFailure(p: number, generation: number, log: OffsetsLog, error: OffsetsLogError): void {
    this.opts.events?.writeFailed?.(p, error);
    if (this.slots.get(p)?.generation !== generation) return;
    this.slots.delete(p);
    if (error.code === ErrorCode.NOT_LEADER_OR_FOLLOWER || error.code === ErrorCode.FENCED_LEADER_EPOCH) return;
    void this.becomeLeader(p, log);
  }

  private checkPartition(p: number): void {
    if (!Number.isInteger(p) || p < 0 || p >= this.partitionCount) throw new RangeError(`offsets partition ${p} outside [0, ${this.partitionCount})`);
  }
}
