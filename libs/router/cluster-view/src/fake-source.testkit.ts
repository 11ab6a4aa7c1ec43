// A hand-driven ViewSource for unit tests of MetadataClusterView (stands in for a WatchedMap).
import type { SourceChange, ViewSource } from './metadata-sources';

export class FakeSource<V> implements ViewSource<V> {
  private readonly items = new Map<string, V>();
  private readonly listeners = new Set<(change: SourceChange<V>) => void>();
  revision = 0n;
  isReady = false;
  closed = false;

  constructor(private readonly keyOf: (value: V) => string) {}

  values(): IterableIterator<V> {
    return this.items.values();
  }

  async ready(): Promise<void> {
    if (!this.isReady) throw new Error('not ready');
  }

  onChange(listener: (change: SourceChange<V>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.closed = true;
  }

  snapshot(values: readonly V[], revision: bigint): void {
    this.items.clear();
    for (const v of values) this.items.set(this.keyOf(v), v);
    this.revision = revision;
    this.isReady = true;
    this.emit({ type: 'reset', revision });
  }

  put(value: V, revision: bigint): void {
    const key = this.keyOf(value);
    const previous = this.items.get(key);
    this.items.set(key, value);
    this.revision = revision;
    this.emit({ type: 'put', value, previous, revision });
  }

  delete(value: V, revision: bigint): void {
    const key = this.keyOf(value);
    const previous = this.items.get(key);
    if (previous === undefined) return;
    this.items.delete(key);
    this.revision = revision;
    this.emit({ type: 'delete', previous, revision });
  }

  /** A progress message: the stream proves it is current up to `revision` without a change. */
  progress(revision: bigint): void {
    this.revision = revision;
    this.emit({ type: 'reset', revision });
  }

  private emit(change: SourceChange<V>): void {
    for (const l of [...this.listeners]) l(change);
  }
}
