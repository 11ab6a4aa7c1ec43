// A prefix watch over the raw etcd watch stream. We do not use etcd3's Watcher: it advances its
// resume point to the header revision of the "created" response, so a stream that breaks before
// the backlog arrives would resume past undelivered events. Here the resume point is the revision
// after the last event actually delivered, so a reconnect (etcd restart, network fault) neither
// misses nor repeats a change; compaction past that point is reported so the caller re-snapshots.
import type { Etcd3, IWatchResponse } from 'etcd3';
import { prefixRangeEnd } from './etcd-keys';
import type { KvEvent, KvWatch, KvWatchListener } from './kv';

type WatchStream = Awaited<ReturnType<Etcd3['watchClient']['watch']>>;

/**
 * Ends our side before cancelling: etcd3's pool counts an error on a still-writable stream as a
 * host failure, and enough deliberate cancels in a row would open its circuit breaker and fail
 * every call for seconds.
 */
function closeQuietly(stream: WatchStream): void {
  stream.end();
  stream.cancel();
}

const MIN_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2000;

export class EtcdPrefixWatch implements KvWatch {
  private stream: WatchStream | undefined;
  private cancelled = false;
  private backoffMs = MIN_BACKOFF_MS;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Etcd3,
    private readonly prefix: string,
    private next: bigint,
    private readonly listener: KvWatchListener,
  ) {}

  /** Resolves once etcd has accepted the watch (or retries are under way after a fault). */
  async start(): Promise<void> {
    await this.connect();
  }

  async cancel(): Promise<void> {
    this.cancelled = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.stream) closeQuietly(this.stream);
    this.stream = undefined;
  }

  private async connect(): Promise<void> {
    if (this.cancelled) return;
    let stream: WatchStream;
    try {
      stream = await this.client.watchClient.watch();
    } catch {
      this.scheduleReconnect();
      return;
    }
    if (this.cancelled) {
      closeQuietly(stream);
      return;
    }
    this.stream = stream;
    let broken = false;
    const onBreak = (): void => {
      if (broken || this.stream !== stream) return;
      broken = true;
      this.stream = undefined;
      closeQuietly(stream);
      this.scheduleReconnect();
    };
    stream.on('data', (res: IWatchResponse) => this.onResponse(stream, res));
    stream.on('error', onBreak);
    stream.on('end', onBreak);
    stream.write({
      create_request: {
        key: Buffer.from(this.prefix, 'utf8'),
        range_end: prefixRangeEnd(this.prefix),
        start_revision: this.next.toString(),
        prev_kv: true,
      },
    });
  }

  private onResponse(stream: WatchStream, res: IWatchResponse): void {
    if (this.cancelled || this.stream !== stream) return;
    if (res.canceled) {
      this.stream = undefined;
      closeQuietly(stream);
      const compactRevision = BigInt(res.compact_revision || '0');
      if (compactRevision > 0n) {
        this.listener.onError({ kind: 'compacted', compactRevision });
      } else {
        this.listener.onError({ kind: 'failed', cause: new Error(`etcd cancelled the watch: ${res.cancel_reason}`) });
      }
      this.cancelled = true;
      return;
    }
    this.backoffMs = MIN_BACKOFF_MS;
    if (!res.events || res.events.length === 0) return;
    const events: KvEvent[] = [];
    for (const ev of res.events) {
      const revision = BigInt(ev.kv.mod_revision);
      // Belt and braces: never hand out a revision we already delivered.
      if (revision < this.next) continue;
      events.push({
        type: ev.type === 'Delete' ? 'delete' : 'put',
        key: ev.kv.key.toString('utf8'),
        value: ev.type === 'Delete' ? Buffer.alloc(0) : Buffer.from(ev.kv.value ?? Buffer.alloc(0)),
        revision,
        createRevision: ev.type === 'Delete' ? 0n : BigInt(ev.kv.create_revision),
        ...(ev.type === 'Delete' && ev.prev_kv ? { prevValue: Buffer.from(ev.prev_kv.value) } : {}),
      });
    }
    if (events.length === 0) return;
    this.next = (events[events.length - 1] as KvEvent).revision + 1n;
    this.listener.onEvents(events);
  }

  private scheduleReconnect(): void {
    if (this.cancelled) return;
    const delay = this.backoffMs;
    this.backoffMs = Math.min(this.backoffMs * 2, MAX_BACKOFF_MS);
    this.timer = setTimeout(() => void this.connect(), delay);
    this.timer.unref();
  }
}
