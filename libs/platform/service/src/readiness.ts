export type ReadinessCheck = () => boolean | Promise<boolean>;

export interface ReadinessReport {
  readonly ready: boolean;
  /** Names of the checks that did not pass (`startup` / `shutdown` for the lifecycle itself). */
  readonly failing: readonly string[];
}

/** A check slower than this counts as failing: a hung dependency must not hang the probe. */
export const READINESS_CHECK_TIMEOUT_MS = 2_000;

/**
 * Whether the process should receive traffic: it has finished starting, is not shutting down, and
 * every registered check passes (etcd reachable, caches warmed, disk writable ...). Liveness is
 * separate and never depends on these: a dependency outage must not make Kubernetes restart us.
 */
export class Readiness {
  private readonly checks = new Map<string, ReadinessCheck>();
  private phase: 'starting' | 'started' | 'stopping' = 'starting';

  add(name: string, check: ReadinessCheck): void {
    if (this.checks.has(name)) throw new Error(`readiness check ${JSON.stringify(name)} is registered twice`);
    this.checks.set(name, check);
  }

  markStarted(): void {
    if (this.phase === 'starting') this.phase = 'started';
  }

  markStopping(): void {
    this.phase = 'stopping';
  }

  get stopping(): boolean {
    return this.phase === 'stopping';
  }

  async evaluate(options: { timeoutMs?: number } = {}): Promise<ReadinessReport> {
    if (this.phase === 'starting') return { ready: false, failing: ['startup'] };
    if (this.phase === 'stopping') return { ready: false, failing: ['shutdown'] };
    const timeoutMs = options.timeoutMs ?? READINESS_CHECK_TIMEOUT_MS;
    const results = await Promise.all(
      [...this.checks].map(async ([name, check]) => ((await passes(check, timeoutMs)) ? undefined : name)),
    );
    const failing = results.filter((name): name is string => name !== undefined);
    return { ready: failing.length === 0, failing };
  }
}

async function passes(check: ReadinessCheck, timeoutMs: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), timeoutMs);
  });
  try {
    return await Promise.race([Promise.resolve().then(check), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
