import { ErrorCode } from '@stratus/kafka-errors';
import type { FetchRequest } from '@stratus/kafka-messages';
import { openFetchContext } from './fetch-context';
import { FetchSessionCache, nextSessionEpoch } from './fetch-session-cache';

const request = (options: { sessionId: number; sessionEpoch: number; topics?: Array<{ topic?: string; topicId?: string; partitions: number[] }> }): FetchRequest => ({
  maxWaitMs: 0,
  minBytes: 0,
  maxBytes: 1000,
  isolationLevel: 0,
  sessionId: options.sessionId,
  sessionEpoch: options.sessionEpoch,
  topics: (options.topics ?? []).map((t) => ({ ...t, partitions: t.partitions.map((partition) => ({ partition, fetchOffset: 0n, partitionMaxBytes: 100 })) })),
  forgottenTopicsData: [],
});

describe('FetchSessionCache', () => {
  it('evicts the least recently used session when full', () => {
    let id = 1;
    const cache = new FetchSessionCache({ maxSessions: 2, newSessionId: () => id++ });
    const a = cache.create('t', false, new Map());
    const b = cache.create('t', false, new Map());
    cache.get('t', a?.id ?? 0); // a is now the most recently used
    cache.create('t', false, new Map());
    expect(cache.get('t', a?.id ?? 0)).toBeDefined();
    expect(cache.get('t', b?.id ?? 0)).toBeUndefined();
    expect(cache.size).toBe(2);
  });

  it('answers sessionless when sessions are disabled (0 slots)', () => {
    const cache = new FetchSessionCache({ maxSessions: 0 });
    const context = openFetchContext(cache, 't', request({ sessionId: 0, sessionEpoch: 0, topics: [{ topic: 'a', partitions: [0] }] }), 11);
    expect(context).toMatchObject({ kind: 'full', session: undefined });
  });

  it('wraps epochs from INT32_MAX to 1, never to the reserved 0 or -1', () => {
    expect(nextSessionEpoch(1)).toBe(2);
    expect(nextSessionEpoch(0x7fffffff)).toBe(1);
  });

  it('refuses to continue a name-based session with topic ids (FETCH_SESSION_TOPIC_ID_ERROR)', () => {
    const cache = new FetchSessionCache({ newSessionId: () => 9 });
    const full = openFetchContext(cache, 't', request({ sessionId: 0, sessionEpoch: 0, topics: [{ topic: 'a', partitions: [0] }] }), 12);
    expect(full.kind === 'full' && full.session?.id).toBe(9);
    const mixed = openFetchContext(cache, 't', request({ sessionId: 9, sessionEpoch: 1 }), 13);
    expect(mixed).toEqual({ kind: 'error', errorCode: ErrorCode.FETCH_SESSION_TOPIC_ID_ERROR });
  });

  it('leaves a session untouched by a request with the wrong epoch', () => {
    const cache = new FetchSessionCache({ newSessionId: () => 5 });
    openFetchContext(cache, 't', request({ sessionId: 0, sessionEpoch: 0, topics: [{ topic: 'a', partitions: [0] }] }), 11);
    expect(openFetchContext(cache, 't', request({ sessionId: 5, sessionEpoch: 2, topics: [{ topic: 'b', partitions: [0] }] }), 11)).toMatchObject({ errorCode: ErrorCode.INVALID_FETCH_SESSION_EPOCH });
    const next = openFetchContext(cache, 't', request({ sessionId: 5, sessionEpoch: 1 }), 11);
    expect(next.kind === 'incremental' && next.partitions.map((p) => p.topicRef)).toEqual(['a']);
  });
});
