// Every resource a test starts (process, temp dir, client) registers here, so that cleanup does not
// depend on the test reaching its own `finally`: useHarness() tears down what a test started after
// that test (pass or fail) and what a suite started after the suite. A process 'exit' hook SIGKILLs
// children still alive when a plain node script using the harness exits; under Jest that hook
// never fires (see watchdog.ts, which covers that case and a killed runner).

export interface HarnessResource {
  /** Human-readable name used in cleanup error messages ("etcd 127.0.0.1:2379 (pid 42)"). */
  readonly label: string;
  /** Graceful, awaited release. Must be idempotent. */
  cleanup(): Promise<void>;
  /** Synchronous last resort from process.on('exit'): no awaiting possible there. */
  killNow?(): void;
}

interface Entry {
  readonly seq: number;
  readonly resource: HarnessResource;
}

const live = new Map<HarnessResource, Entry>();
let nextSeq = 1;
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const { resource } of live.values()) {
      try {
        resource.killNow?.();
      } catch {
        // Best effort: the process is exiting and there is nobody left to report to.
      }
    }
  });
}

/** Registers a resource; returns a function that unregisters it (after the owner released it). */
export function registerResource(resource: HarnessResource): () => void {
  installExitHook();
  live.set(resource, { seq: nextSeq++, resource });
  return () => {
    live.delete(resource);
  };
}

/** Number of registered resources still alive (used by the harness's own tests). */
export function liveResourceCount(): number {
  return live.size;
}

/** Sequence mark: resources registered after it are "newer". */
export function currentMark(): number {
  return nextSeq - 1;
}

export class HarnessCleanupError extends AggregateError {
  override readonly name = 'HarnessCleanupError';
}

/**
 * Releases every resource registered after `mark` (all of them by default), newest first, so that
 * processes stop before the temp directories they write to are removed. Every resource is
 * attempted even when one fails; failures are reported together afterwards.
 */
export async function cleanupResources(options: { after?: number } = {}): Promise<void> {
  const after = options.after ?? 0;
  const victims = [...live.values()].filter((entry) => entry.seq > after).sort((a, b) => b.seq - a.seq);
  const errors: unknown[] = [];
  for (const { resource } of victims) {
    try {
      await resource.cleanup();
    } catch (err) {
      errors.push(new Error(`cleanup of ${resource.label} failed: ${String(err)}`, { cause: err }));
    } finally {
      live.delete(resource);
    }
  }
  if (errors.length > 0) throw new HarnessCleanupError(errors, `${errors.length} harness resource(s) failed to clean up`);
}

/**
 * Wires cleanup into Jest: resources started inside a test are released after that test, resources
 * started in beforeAll after the suite. Call once at the top of a spec file (or a describe block).
 */
export function useHarness(): void {
  let testMark = 0;
  beforeEach(() => {
    testMark = currentMark();
  });
  afterEach(async () => {
    await cleanupResources({ after: testMark });
  });
  afterAll(async () => {
    await cleanupResources();
  });
}
