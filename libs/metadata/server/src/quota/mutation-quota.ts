// KIP-599 controller mutation quota: partition creations and deletions per second per tenant,
// enforced here (the metadata service) so that all routers share one exact budget instead of each
// enforcing a slice of it.
//
// Kafka models this quota as a token bucket: it holds at most `rate × samples × window` tokens
// (Kafka's quota.window.num = 11 samples of quota.window.size.seconds = 1 s, so a burst of 11 s
// worth of mutations), refills at `rate` tokens per second and starts full. A mutation takes as
// many tokens as partitions it creates or deletes and may drive the bucket negative; the quota is
// "exceeded" while the bucket is below zero, and the throttle time is how long the refill takes to
// bring it back to zero.

/** Kafka's quota.window.num × quota.window.size.seconds: the burst is this many seconds of rate. */
export const MUTATION_BURST_SECONDS = 11;

export interface MutationQuotaOptions {
  /** Milliseconds clock, injected so tests control time. */
  readonly now?: () => number;
  readonly burstSeconds?: number;
}

interface Bucket {
  tokens: number;
  rate: number;
  lastMs: number;
}

/** Per-tenant token buckets. A rate of undefined means unlimited; the bucket follows rate changes. */
export class MutationQuotas {
  private readonly buckets = new Map<string, Bucket>();
  private readonly now: () => number;
  private readonly burstSeconds: number;

  constructor(options: MutationQuotaOptions = {}) {
    this.now = options.now ?? Date.now;
    this.burstSeconds = options.burstSeconds ?? MUTATION_BURST_SECONDS;
  }

  /**
   * A view of one tenant's bucket for one request. `rate` is the tenant's effective
   * partition_mutations_per_second (undefined: unlimited, nothing is tracked).
   */
  forTenant(tenant: string, rate: number | undefined): TenantMutationQuota {
    if (rate === undefined) return UNLIMITED;
    const bucket = this.refill(tenant, rate);
    return {
      exceeded: () => {
        this.refillBucket(bucket, rate);
        return bucket.tokens < 0 || rate <= 0;
      },
      record: (mutations: number) => {
        this.refillBucket(bucket, rate);
        bucket.tokens = Math.min(this.burst(rate), bucket.tokens - mutations);
      },
      throttleTimeMs: () => {
        this.refillBucket(bucket, rate);
        if (rate <= 0) return this.burstSeconds * 1000;
        return bucket.tokens >= 0 ? 0 : Math.ceil((-bucket.tokens / rate) * 1000);
      },
    };
  }

  private burst(rate: number): number {
    return Math.max(0, rate) * this.burstSeconds;
  }

  private refill(tenant: string, rate: number): Bucket {
    let bucket = this.buckets.get(tenant);
    if (!bucket) {
      // A tenant never seen starts with a full bucket, as Kafka's does.
      bucket = { tokens: this.burst(rate), rate, lastMs: this.now() };
      this.buckets.set(tenant, bucket);
    }
    this.refillBucket(bucket, rate);
    return bucket;
  }

  private refillBucket(bucket: Bucket, rate: number): void {
    const now = this.now();
    const elapsedSeconds = Math.max(0, now - bucket.lastMs) / 1000;
    bucket.rate = rate;
    bucket.tokens = Math.min(this.burst(rate), bucket.tokens + Math.max(0, rate) * elapsedSeconds);
    bucket.lastMs = now;
  }
}

export interface TenantMutationQuota {
  /** True while the tenant has used more than its bucket holds (strict requests refuse then). */
  exceeded(): boolean;
  /** Takes `mutations` partitions from the bucket (it may go below zero). */
  record(mutations: number): void;
  /** How long until the bucket is back at zero; 0 when within the quota. */
  throttleTimeMs(): number;
}

const UNLIMITED: TenantMutationQuota = { exceeded: () => false, record: () => undefined, throttleTimeMs: () => 0 };
