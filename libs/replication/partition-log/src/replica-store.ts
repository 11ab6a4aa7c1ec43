// All partitions of one replication node in one data directory: `<dataDir>/<topicIdHex>-<index>/`.
// Opens and recovers every partition at start, creates partitions on first use, runs the
// interval flush policy, and removes deleted partitions crash-safely (rename, then delete).
import { join } from 'node:path';
import type { FileIo } from './file-io';
import { MonitoredFileIo } from './monitored-file-io';
import { PartitionReplica, type CorruptionReport } from './partition-replica';
import type { RecoveryReport } from './segmented-log';
import type { StorageHealthManager } from './storage-health';
import { parsePartitionKey, silentLog, systemClock, validateConfig, type Clock, type LogSink, type PartitionKey, type PartitionLogConfig } from './types';

const DELETED_MARK = '.deleted-';

export interface ReplicaStoreOptions {
  readonly dataDir: string;
  readonly io: FileIo;
  readonly config: PartitionLogConfig;
  /** When given, every disk operation is timed by it and data operations answer NOT_READY while it is unready. */
  readonly health?: StorageHealthManager;
  readonly clock?: Clock;
  readonly log?: LogSink;
  readonly onCorruption?: (report: CorruptionReport) => void;
  readonly onRecovered?: (key: PartitionKey, report: RecoveryReport) => void;
}

export class ReplicaStore {
  private readonly replicas = new Map<PartitionKey, PartitionReplica>();
  private readonly opening = new Map<PartitionKey, Promise<PartitionReplica>>();
  private flushTimer: NodeJS.Timeout | undefined;
  private corruptions = 0;
  private closed = false;
  private readonly io: FileIo;
  private readonly log: LogSink;

  private constructor(private readonly options: ReplicaStoreOptions) {
    this.io = options.health ? new MonitoredFileIo(options.io, options.health) : options.io;
    this.log = options.log ?? silentLog;
  }

  /** Opens the data directory and recovers every partition in it before returning. */
  static async open(options: ReplicaStoreOptions): Promise<ReplicaStore> {
    validateConfig(options.config);
    const store = new ReplicaStore(options);
    await store.io.mkdirp(options.dataDir);
    for (const name of await store.io.readdir(options.dataDir)) {
      if (name.includes(DELETED_MARK)) {
        await store.io.rmrf(join(options.dataDir, name));
        continue;
      }
      // Hidden files are the process's own (e.g. the data-directory lock), never partitions.
      if (name.startsWith('.')) continue;
      const parsed = parsePartitionKey(name);
      if (!parsed) {
        store.log.warn({ dataDir: options.dataDir, name }, 'ignoring an entry of the data directory that is not a partition');
        continue;
      }
      await store.openPartition(parsed.key);
    }
    const flush = options.config.flush;
    if (flush.kind === 'interval') {
      store.flushTimer = setInterval(() => void store.flushDirty(), flush.intervalMs);
      store.flushTimer.unref();
    }
    return store;
  }

  get(key: PartitionKey): PartitionReplica | undefined {
    return this.replicas.get(key);
  }

  /** The partition, created empty (and unfenced) on first use. */
  async getOrCreate(key: PartitionKey): Promise<PartitionReplica> {
    return this.replicas.get(key) ?? (await this.openPartition(key));
  }

  keys(): PartitionKey[] {
    return [...this.replicas.keys()].sort();
  }

  get corruptionCount(): number {
    return this.corruptions;
  }

  private openPartition(key: PartitionKey): Promise<PartitionReplica> {
    if (this.closed) return Promise.reject(new Error('replica store is closed'));
    const pending = this.opening.get(key);
    if (pending) return pending;
    const health = this.options.health;
    const opening = PartitionReplica.open({
      key,
      dir: join(this.options.dataDir, key),
      io: this.io,
      config: this.options.config,
      clock: this.options.clock ?? systemClock,
      log: this.log,
      ...(health ? { isReady: () => health.isReady() } : {}),
      onCorruption: (report) => {
        this.corruptions++;
        this.options.onCorruption?.(report);
      },
    }).then(
      (replica) => {
        this.replicas.set(key, replica);
        this.opening.delete(key);
        this.options.onRecovered?.(key, replica.recovery);
        return replica;
      },
      (err: unknown) => {
        this.opening.delete(key);
        throw err;
      },
    );
    this.opening.set(key, opening);
    return opening;
  }

  /** Removes a partition (deleted topic or moved replica): renamed first so a crash never leaves half a log. */
  async deletePartition(key: PartitionKey): Promise<boolean> {
    const replica = this.replicas.get(key) ?? (await this.opening.get(key));
    if (!replica) return false;
    this.replicas.delete(key);
    await replica.close();
    const dir = join(this.options.dataDir, key);
    const trash = `${dir}${DELETED_MARK}${Date.now()}`;
    await this.io.rename(dir, trash);
    await this.io.syncDir(this.options.dataDir);
    await this.io.rmrf(trash);
    return true;
  }

  /** The interval flush policy: fsync every partition with unflushed appends. */
  async flushDirty(): Promise<void> {
    for (const replica of this.replicas.values()) {
      if (!replica.dirty) continue;
      await replica.flush().catch((err: unknown) => this.log.error({ partition: replica.key, err: String(err) }, 'flush failed'));
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.flushTimer) clearInterval(this.flushTimer);
    await Promise.allSettled([...this.opening.values()]);
    for (const replica of this.replicas.values()) await replica.close();
    this.replicas.clear();
  }
}
