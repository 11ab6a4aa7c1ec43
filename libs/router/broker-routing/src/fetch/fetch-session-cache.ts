// Incremental fetch sessions (KIP-227) end at the router: brokers always get full partition
// lists (fetch.proto), so the session state — which partitions a client fetches and what it was
// last told about each — lives here. Sessions are router-wide (a client may reconnect and carry
// on, as with a Kafka broker) but bound to the tenant that created them: another tenant's session
// id is answered FETCH_SESSION_ID_NOT_FOUND, exactly like one that never existed.
import { randomInt } from 'node:crypto';

/** One partition of a session: the client's fetch state and what the client last received. */
export interface SessionPartition {
  /** The topic as the client names it: its name before Fetch v13, its id (Uuid text) after. */
  readonly topicRef: string;
  readonly partition: number;
  fetchOffset: bigint;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
  partitionMaxBytes: number;
  /** Last values sent to the client; an incremental answer includes the partition when one changed. */
  sentHighWatermark: bigint | undefined;
  sentLastStableOffset: bigint | undefined;
  sentLogStartOffset: bigint | undefined;
}

export interface FetchSession {
  readonly id: number;
  readonly tenantId: string;
  /** Whether the client names topics by id (Fetch v13+); a session cannot switch (FETCH_SESSION_TOPIC_ID_ERROR). */
  readonly usesTopicIds: boolean;
  /** The epoch the next incremental request must carry. */
  epoch: number;
  /** Insertion ordered, keyed by sessionPartitionKey. */
  readonly partitions: Map<string, SessionPartition>;
}

export function sessionPartitionKey(topicRef: string, partition: number): string {
  return `${topicRef}\u0000${partition}`;
}

/** The epoch after `epoch`: 1, 2, ... INT32_MAX, then 1 again (0 and -1 are reserved by KIP-227). */
export function nextSessionEpoch(epoch: number): number {
  return epoch >= 0x7fffffff ? 1 : epoch + 1;
}

export interface FetchSessionCacheOptions {
  /** max.incremental.fetch.session.cache.slots; default 1000. */
  readonly maxSessions?: number;
  /** Test hook for deterministic session ids. */
  readonly newSessionId?: () => number;
}

/**
 * Bounded like Kafka's max.incremental.fetch.session.cache.slots. When full, the least recently
 * used session is evicted (a simplification of Kafka's size/age privileged eviction); its client
 * gets FETCH_SESSION_ID_NOT_FOUND on its next incremental fetch and starts a new session.
 */
export class FetchSessionCache {
  private readonly sessions = new Map<number, FetchSession>();
  private readonly maxSessions: number;
  private readonly newSessionId: () => number;

  constructor(options: FetchSessionCacheOptions = {}) {
    this.maxSessions = options.maxSessions ?? 1000;
    this.newSessionId = options.newSessionId ?? (() => randomInt(1, 0x7fffffff));
  }

  get size(): number {
    return this.sessions.size;
  }

  /** A new session at epoch 1 holding `partitions`; undefined when sessions are disabled (0 slots). */
  create(tenantId: string, usesTopicIds: boolean, partitions: Map<string, SessionPartition>): FetchSession | undefined {
    if (this.maxSessions <= 0) return undefined;
    while (this.sessions.size >= this.maxSessions) {
      const oldest = this.sessions.keys().next().value as number;
      this.sessions.delete(oldest);
    }
    let id = this.newSessionId();
    while (id === 0 || this.sessions.has(id)) id = this.newSessionId();
    const session: FetchSession = { id, tenantId, usesTopicIds, epoch: 1, partitions };
    this.sessions.set(id, session);
    return session;
  }

  /** The tenant's session with this id, marked as recently used. */
  get(tenantId: string, id: number): FetchSession | undefined {
    const session = this.sessions.get(id);
    if (!session || session.tenantId !== tenantId) return undefined;
    this.sessions.delete(id);
    this.sessions.set(id, session);
    return session;
  }

  /** Removes the tenant's session (a client closing it, or replacing it with a new full fetch). */
  remove(tenantId: string, id: number): void {
    const session = this.sessions.get(id);
    if (session && session.tenantId === tenantId) this.sessions.delete(id);
  }
}
