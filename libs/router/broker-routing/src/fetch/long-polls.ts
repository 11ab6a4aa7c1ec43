// Long polls the router has open on brokers, shared by identical follow-up fetches. A broker
// long poll cannot be cancelled, so when a multi-broker fetch is answered early (data arrived on
// one broker), the polls on the others stay open until their max_wait. The client's next fetch
// usually asks those brokers exactly the same thing (their partitions got nothing, so their
// offsets did not move): joining the open poll instead of sending another keeps at most one poll
// per (broker, tenant, partition set, offsets) instead of one more per fetch round.
import type { brokerV1 } from '@stratus/contracts';
import type { FetchItem } from './fetch-routing';

export class LongPolls {
  private readonly open = new Map<string, Promise<brokerV1.FetchResponse>>();

  /** Polls currently open (tests and diagnostics). */
  get size(): number {
    return this.open.size;
  }

  /** The open poll for the same question, or the one `start` opens (forgotten once it settles). */
  join(key: string, start: () => Promise<brokerV1.FetchResponse>): Promise<brokerV1.FetchResponse> {
    const existing = this.open.get(key);
    if (existing) return existing;
    const poll = start();
    this.open.set(key, poll);
    const forget = (): void => {
      if (this.open.get(key) === poll) this.open.delete(key);
    };
    poll.then(forget, forget);
    return poll;
  }
}

/** What makes two broker long polls the same question. */
export function longPollKey(options: {
  nodeId: string;
  tenantId: string;
  isolationLevel: number;
  minBytes: number;
  maxBytes: number;
  items: readonly FetchItem[];
}): string {
  const parts = options.items.map((i) => `${i.topicId.toString('hex')}:${i.partition}:${i.fetchOffset}:${i.currentLeaderEpoch}:${i.lastFetchedEpoch}:${i.partitionMaxBytes}`);
  return [options.nodeId, options.tenantId, options.isolationLevel, options.minBytes, options.maxBytes, ...parts].join('|');
}
