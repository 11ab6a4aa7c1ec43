// The controller: one metadata replica at a time, elected through etcd. While it leads it keeps
// partition leadership consistent with live brokers (failover with epoch bumps), reacting to
// broker and partition watches and, as a safety net, to a periodic pass.
import type { MetadataStore, ResourceWatchHandle } from '@stratus/metadata-store';
import { Election, type Leadership } from './election';
import { reconcileLeadership, type ReconcileReport } from './failover';

export interface ControllerOptions {
  readonly store: MetadataStore;
  readonly candidateId: string;
  /** Controller lease TTL: a crashed controller is replaced within about this long. */
  readonly ttlSeconds?: number;
  /** How often a follower retries the election and a leader runs a safety-net pass. */
  readonly tickMs?: number;
  readonly onEvent?: (event: ControllerEvent) => void;
}

export type ControllerEvent =
  | { readonly type: 'elected'; readonly token: bigint }
  | { readonly type: 'deposed'; readonly token: bigint }
  | { readonly type: 'reconciled'; readonly report: ReconcileReport }
  | { readonly type: 'error'; readonly error: unknown };

export class Controller {
  private readonly election: Election;
  private readonly ttlSeconds: number;
  private readonly tickMs: number;
  private leadership: Leadership | undefined;
  /** Leadership is only trusted until this time (last renewal sent + TTL). */
  private validUntil = 0;
  private timer: NodeJS.Timeout | undefined;
  private renewTimer: NodeJS.Timeout | undefined;
  private watches: ResourceWatchHandle[] = [];
  private running = false;
  private reconciling: Promise<void> | undefined;
  private pending = false;

  constructor(private readonly options: ControllerOptions) {
    this.ttlSeconds = options.ttlSeconds ?? 5;
    this.tickMs = options.tickMs ?? 500;
    this.election = new Election({
      kv: options.store.kv,
      key: options.store.keys.controller(),
      candidateId: options.candidateId,
      ttlSeconds: this.ttlSeconds,
    });
  }

  get isLeader(): boolean {
    return this.leadership !== undefined && Date.now() < this.validUntil;
  }

  get token(): bigint | undefined {
    return this.isLeader ? this.leadership?.token : undefined;
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  /** Graceful stop: resigns so a successor takes over at once. */
  async stop(): Promise<void> {
    const leadership = this.halt();
    await this.reconciling;
    if (leadership) await this.election.resign(leadership).catch(() => undefined);
  }

  /** Simulates a crash for tests: stops acting and renewing without resigning. */
  async crash(): Promise<void> {
    this.halt();
    await this.reconciling;
  }

  private halt(): Leadership | undefined {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    if (this.renewTimer) clearTimeout(this.renewTimer);
    const leadership = this.leadership;
    this.leadership = undefined;
    for (const w of this.watches) void w.cancel();
    this.watches = [];
    return leadership;
  }

  private schedule(ms: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => void this.tick(), ms);
  }

  private async tick(): Promise<void> {
    try {
      if (!this.leadership) {
        const won = await this.election.tryAcquire();
        if (won && this.running) await this.becomeLeader(won);
        else if (won) await this.election.resign(won);
      } else {
        this.requestReconcile();
      }
    } catch (error) {
      this.emit({ type: 'error', error });
    }
    this.schedule(this.tickMs);
  }

  private async becomeLeader(leadership: Leadership): Promise<void> {
    this.leadership = leadership;
    this.validUntil = Date.now() + this.ttlSeconds * 1000;
    this.emit({ type: 'elected', token: leadership.token });
    this.scheduleRenew();
    const { store } = this.options;
    const trigger = (): void => this.requestReconcile();
    this.watches = await Promise.all([store.watch({ kind: 'nodes', nodeKind: 'broker' }, {}, trigger), store.watch({ kind: 'partitions' }, {}, trigger)]);
    this.requestReconcile();
  }

  private scheduleRenew(): void {
    this.renewTimer = setTimeout(() => void this.renew(), (this.ttlSeconds * 1000) / 3);
  }

  private async renew(): Promise<void> {
    const leadership = this.leadership;
    if (!leadership || !this.running) return;
    const sentAt = Date.now();
    let alive = false;
    let faulted = false;
    try {
      alive = await this.election.renew(leadership);
    } catch (error) {
      faulted = true;
      this.emit({ type: 'error', error });
    }
    if (this.leadership !== leadership) return;
    if (alive) {
      this.validUntil = sentAt + this.ttlSeconds * 1000;
    } else if (!faulted || Date.now() >= this.validUntil) {
      // etcd said the lease or key is gone, or we could not renew within the TTL: stop acting.
      this.stepDown(leadership);
      return;
    }
    this.scheduleRenew();
  }

  private stepDown(leadership: Leadership): void {
    this.leadership = undefined;
    for (const w of this.watches) void w.cancel();
    this.watches = [];
    this.emit({ type: 'deposed', token: leadership.token });
  }

  /** Coalesces triggers: at most one pass runs, and one more follows if asked meanwhile. */
  private requestReconcile(): void {
    if (this.reconciling) {
      this.pending = true;
      return;
    }
    const token = this.token;
    if (token === undefined) return;
    this.reconciling = reconcileLeadership(this.options.store, token)
      .then((report) => {
        if (report.moved > 0 || report.conflicts > 0) this.emit({ type: 'reconciled', report });
      })
      .catch((error: unknown) => this.emit({ type: 'error', error }))
      .finally(() => {
        this.reconciling = undefined;
        if (this.pending && this.running) {
          this.pending = false;
          this.requestReconcile();
        }
      });
  }

  private emit(event: ControllerEvent): void {
    this.options.onEvent?.(event);
  }
}
