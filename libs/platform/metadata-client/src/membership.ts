// Node membership: register under an etcd lease, heartbeat well before it runs out, register again
// (a new generation, like a Kafka broker epoch, KIP-380) when the lease is lost, deregister on a
// graceful close. A broker must stop serving the moment its lease is gone - the controller may
// already be moving its partitions - so `onLost` fires as soon as this process KNOWS the lease is
// gone: a heartbeat answered with an error, or no successful heartbeat for a whole TTL (the
// metadata service unreachable: the lease may have expired without anyone telling us).
import { status, type ServiceError } from '@grpc/grpc-js';
import { commonV1, metadataV1 } from '@stratus/contracts';
import { Backoff, type BackoffOptions } from './backoff';
import { unaryCall } from './rpc';
import type { WatchLogger } from './types';

export interface MembershipNode {
  readonly nodeId: string;
  readonly role: commonV1.NodeRole;
  readonly availabilityZone: string;
  readonly cell: string;
  /** host:port other services dial for this node's gRPC API. */
  readonly grpcAddress: string;
}

export interface HealthReport {
  readonly health: metadataV1.NodeHealth;
  readonly load?: metadataV1.NodeLoad;
}

export interface NodeMembershipOptions {
  readonly client: metadataV1.MetadataServiceClient;
  readonly logger: WatchLogger;
  readonly node: MembershipNode;
  readonly version?: string;
  /** Routers: the Kafka listeners advertised to clients. */
  readonly kafkaListeners?: readonly metadataV1.KafkaListener[];
  /** Requested lease TTL (default 10 s), clamped to the server's [1 s, 300 s]. */
  readonly leaseTtlMs?: number;
  /** Heartbeat period (default a third of the TTL, so two can be lost before expiry). */
  readonly heartbeatIntervalMs?: number;
  /** Health and load sent with every heartbeat (default READY). Exceptions count as DEGRADED. */
  readonly health?: () => HealthReport;
  /** Deadline of each RPC (default 5 s, never more than the heartbeat period). */
  readonly callTimeoutMs?: number;
  /** Retry delays for registration (default 200 ms doubling to 5 s, jittered). */
  readonly backoff?: BackoffOptions;
}

export type LostReason = 'rejected' | 'unreachable';

export interface LostEvent {
  readonly generation: bigint;
  /** 'rejected': the server said the lease/generation is gone; 'unreachable': no heartbeat for a TTL. */
  readonly reason: LostReason;
  readonly detail: string;
}

export const MIN_LEASE_TTL_MS = 1_000;
export const MAX_LEASE_TTL_MS = 300_000;
export const DEFAULT_LEASE_TTL_MS = 10_000;

export function clampLeaseTtlMs(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return DEFAULT_LEASE_TTL_MS;
  // The server grants whole seconds (ceil); ask for whole seconds so local expiry math matches.
  return Math.min(MAX_LEASE_TTL_MS, Math.max(MIN_LEASE_TTL_MS, Math.ceil(ms / 1000) * 1000));
}

export class NodeMembership {
  private current: metadataV1.NodeRegistration | undefined;
  private closed = false;
  private timer: NodeJS.Timeout | undefined;
  private expiryTimer: NodeJS.Timeout | undefined;
  /** Bumped on every state change so answers of superseded calls are ignored. */
  private epoch = 0;
  private registerFailures = 0;
  private readonly backoff: Backoff;
  private readonly leaseTtlMs: number;
  private readonly intervalMs: number;
  private readonly callTimeoutMs: number;
  private readonly lostListeners = new Set<(event: LostEvent) => void>();
  private readonly registeredListeners = new Set<(registration: metadataV1.NodeRegistration) => void>();
  private firstWaiters: Array<() => void> = [];

  private constructor(private readonly options: NodeMembershipOptions) {
    this.leaseTtlMs = clampLeaseTtlMs(options.leaseTtlMs);
    this.intervalMs = Math.max(100, Math.min(options.heartbeatIntervalMs ?? this.leaseTtlMs / 3, this.leaseTtlMs / 2));
    this.callTimeoutMs = Math.min(options.callTimeoutMs ?? 5_000, this.intervalMs);
    this.backoff = new Backoff({ initialMs: 200, maxMs: 5_000, ...options.backoff });
  }

  /** Starts registering in the background; never throws, failures are logged and retried. */
  static start(options: NodeMembershipOptions): NodeMembership {
    const m = new NodeMembership(options);
    m.register();
    return m;
  }

  /** The live registration, undefined while (re-)registering or after the lease was lost. */
  get registration(): metadataV1.NodeRegistration | undefined {
    return this.current;
  }
  /** Generation of the live registration (stamp it on requests that must fence zombies). */
  get generation(): bigint | undefined {
    return this.current?.generation;
  }
  get isRegistered(): boolean {
    return this.current !== undefined;
  }
  get nodeId(): string {
    return this.options.node.nodeId;
  }

  onRegistered(listener: (registration: metadataV1.NodeRegistration) => void): () => void {
    this.registeredListeners.add(listener);
    return () => this.registeredListeners.delete(listener);
  }

  onLost(listener: (event: LostEvent) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** Resolves true once registered (now or later), false after `timeoutMs` or on close. */
  whenRegistered(timeoutMs: number): Promise<boolean> {
    if (this.current) return Promise.resolve(true);
    if (this.closed) return Promise.resolve(false);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve(this.current !== undefined);
      };
      const timer = setTimeout(() => {
        this.firstWaiters = this.firstWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      timer.unref();
      this.firstWaiters.push(done);
    });
  }

  /** Stops heartbeating and ends the registration at once (no wait for the lease to expire). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.epoch += 1;
    this.clearTimers();
    for (const w of this.firstWaiters.splice(0)) w();
    const reg = this.current;
    this.current = undefined;
    if (!reg) return;
    try {
      await unaryCall(this.options.client, this.options.client.deregisterNode, { nodeId: this.nodeId, generation: reg.generation }, this.callTimeoutMs);
      this.options.logger.info({ nodeId: this.nodeId, generation: reg.generation }, 'node deregistered');
    } catch (err) {
      // The lease then simply expires after its TTL; nothing else to do on the way out.
      this.options.logger.warn({ nodeId: this.nodeId, generation: reg.generation, err: (err as Error).message }, 'deregistration failed; the lease will expire on its own');
    }
  }

  private register(): void {
    if (this.closed) return;
    const epoch = ++this.epoch;
    const { node, version, kafkaListeners } = this.options;
    const request = metadataV1.RegisterNodeRequest.fromPartial({
      node: { nodeId: node.nodeId, role: node.role, placement: { cell: node.cell, availabilityZone: node.availabilityZone }, grpcAddress: node.grpcAddress },
      leaseTtlMs: BigInt(this.leaseTtlMs),
      version: version ?? '',
      kafkaListeners: [...(kafkaListeners ?? [])],
    });
    const sentAt = Date.now();
    unaryCall(this.options.client, this.options.client.registerNode, request, this.callTimeoutMs).then(
      (res) => {
        if (this.closed && res.registration) {
          // close() ran while this registration was in flight: end it too rather than leave it
          // to expire (the controller would keep counting a node that is gone).
          this.deregister(res.registration.generation);
          return;
        }
        if (epoch !== this.epoch || this.closed) return;
        const reg = res.registration;
        if (!reg) return this.retryRegister(new Error('RegisterNode answered without a registration'));
        this.current = reg;
        this.registerFailures = 0;
        this.backoff.reset();
        this.options.logger.info({ nodeId: node.nodeId, generation: reg.generation, leaseTtlMs: reg.leaseTtlMs, kafkaNodeId: reg.kafkaNodeId }, 'node registered with metadata');
        this.armExpiry(sentAt, Number(reg.leaseTtlMs) || this.leaseTtlMs);
        this.scheduleHeartbeat(this.intervalMs);
        for (const w of this.firstWaiters.splice(0)) w();
        this.notify(this.registeredListeners, reg);
      },
      (err: ServiceError) => {
        if (epoch === this.epoch && !this.closed) this.retryRegister(err);
      },
    );
  }

  private deregister(generation: bigint): void {
    unaryCall(this.options.client, this.options.client.deregisterNode, { nodeId: this.nodeId, generation }, this.callTimeoutMs).catch((err: Error) =>
      this.options.logger.warn({ nodeId: this.nodeId, generation, err: err.message }, 'deregistration failed; the lease will expire on its own'),
    );
  }

  private retryRegister(err: Error): void {
    this.registerFailures += 1;
    const code = (err as Partial<ServiceError>).code;
    const delayMs = this.backoff.next();
    const fields = { nodeId: this.nodeId, err: err.message, delayMs, failures: this.registerFailures };
    if (code === status.ALREADY_EXISTS) {
      // An earlier incarnation's lease is still alive (a fast restart): it must run out first so
      // two processes never hold one identity.
      if (this.registerFailures === 1) this.options.logger.warn(fields, 'an earlier registration of this node is still live; retrying until its lease expires');
    } else if (code === status.INVALID_ARGUMENT) {
      this.options.logger.error(fields, 'metadata rejected this node registration; check the node configuration');
    } else if (this.registerFailures === 1 || this.registerFailures % 10 === 0) {
      this.options.logger.warn(fields, 'node registration failed; retrying (metadata unreachable?)');
    }
    this.timer = setTimeout(() => this.register(), delayMs);
    this.timer.unref();
  }

  private scheduleHeartbeat(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.heartbeat(), delayMs);
    this.timer.unref();
  }

  private heartbeat(): void {
    const reg = this.current;
    if (this.closed || !reg) return;
    const epoch = this.epoch;
    const report = this.healthReport();
    const sentAt = Date.now();
    const request = metadataV1.HeartbeatRequest.fromPartial({ nodeId: this.nodeId, generation: reg.generation, health: report.health, load: report.load });
    unaryCall(this.options.client, this.options.client.heartbeat, request, this.callTimeoutMs).then(
      (res) => {
        if (epoch !== this.epoch || this.closed) return;
        if (res.error && res.error.code !== 0) {
          this.lose({ generation: reg.generation, reason: 'rejected', detail: `${res.error.code}: ${res.error.message}` });
          return;
        }
        const remaining = Number(res.leaseRemainingMs) || this.leaseTtlMs;
        this.armExpiry(sentAt, remaining);
        this.scheduleHeartbeat(Math.min(this.intervalMs, remaining / 3));
      },
      (err: ServiceError) => {
        if (epoch !== this.epoch || this.closed) return;
        // Transport trouble: keep trying on the same period; the expiry timer decides when the
        // lease must be presumed gone.
        this.options.logger.warn({ nodeId: this.nodeId, generation: reg.generation, err: err.message }, 'heartbeat failed');
        this.scheduleHeartbeat(Math.min(this.intervalMs, 1_000));
      },
    );
  }

  /** The lease is certainly alive until `sentAt + ttl` (the server renewed it after we sent). */
  private armExpiry(sentAt: number, ttlMs: number): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    const reg = this.current;
    if (!reg) return;
    this.expiryTimer = setTimeout(() => this.lose({ generation: reg.generation, reason: 'unreachable', detail: `no successful heartbeat for ${ttlMs} ms` }), Math.max(0, sentAt + ttlMs - Date.now()));
    this.expiryTimer.unref();
  }

  private lose(event: LostEvent): void {
    if (this.closed || this.current?.generation !== event.generation) return;
    this.current = undefined;
    this.clearTimers();
    this.options.logger.warn({ nodeId: this.nodeId, ...event }, 'node lease lost; registering again');
    this.notify(this.lostListeners, event);
    this.register();
  }

  private healthReport(): HealthReport {
    try {
      return this.options.health?.() ?? { health: metadataV1.NodeHealth.READY };
    } catch (err) {
      this.options.logger.error({ nodeId: this.nodeId, err }, 'health callback threw; reporting DEGRADED');
      return { health: metadataV1.NodeHealth.DEGRADED };
    }
  }

  private clearTimers(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.timer = undefined;
    this.expiryTimer = undefined;
  }

  private notify<T>(listeners: Set<(value: T) => void>, value: T): void {
    for (const listener of listeners) {
      try {
        listener(value);
      } catch (err) {
        this.options.logger.error({ nodeId: this.nodeId, err }, 'membership listener threw');
      }
    }
  }
}
