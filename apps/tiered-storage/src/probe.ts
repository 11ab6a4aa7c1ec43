// Readiness probes that touch the outside world (the object store, the cache disk). Readiness is
// polled every second; these run at most once per `everyMs` in the background and the check
// returns the last result, so a slow or hanging S3 never blocks /readyz nor multiplies requests.
import { randomUUID } from 'node:crypto';
import { unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ObjectStore } from '@stratus/tiered-object-store';

export class CachedProbe {
  private last = false;
  private lastAt = Number.NEGATIVE_INFINITY;
  private inflight: Promise<void> | undefined;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly options: { everyMs: number; onFailure?: (error: unknown) => void; now?: () => number },
  ) {}

  /** The last outcome; starts a new probe in the background when the last is stale. */
  check(): boolean {
    const now = (this.options.now ?? Date.now)();
    if (!this.inflight && now - this.lastAt >= this.options.everyMs) void this.refresh();
    return this.last;
  }

  /** Runs a probe now (or joins the one in flight) and resolves with its outcome. */
  async refresh(): Promise<boolean> {
    this.inflight ??= this.run().then(
      () => {
        this.last = true;
      },
      (error: unknown) => {
        if (this.last) this.options.onFailure?.(error);
        this.last = false;
      },
    ).finally(() => {
      this.lastAt = (this.options.now ?? Date.now)();
      this.inflight = undefined;
    });
    await this.inflight;
    return this.last;
  }
}

/** One cheap listing call: proves the store answers and (on S3) that the credentials may list. */
export async function probeObjectStore(store: ObjectStore): Promise<void> {
  await store.list('', { pageSize: 1 });
}

/** Writes and removes a small file: a full or read-only cache disk fails this. */
export async function probeWritableDir(dir: string): Promise<void> {
  const path = join(dir, `.probe-${randomUUID()}.tmp`);
  await writeFile(path, 'ok');
  await unlink(path);
}
