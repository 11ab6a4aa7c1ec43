import type { FetchRequest, FetchSuccess, Outcome, PartitionError, PartitionLeader } from '@stratus/broker-partition';
import type { commonV1 } from '@stratus/contracts';
import { ErrorCode } from '@stratus/kafka-errors';
import { logStartAcrossTiers, TierReadPath, type TierFetchOutcome, type TierPort } from './tier-read';

const REF: commonV1.PartitionRef = { topicId: { value: Buffer.alloc(16, 7) }, partition: 0 };
const HW = 100n;

/**
 * A leader with durable start `leaderLogStart` that recovered when its replicas' first local offset
 * was `localLogStart` (default: hotStart); they hold [hotStart, HW) now, and below it it answers as a
 * leader does (no replica holds it).
 */
function fakeLeader(state: { hotStart: bigint; leaderLogStart: bigint; localLogStart?: bigint; serving?: boolean }) {
  const calls: bigint[] = [];
  const leader = {
    snapshot: () => ({ epoch: 1, serving: true, highWatermark: HW, logEnd: HW, logStart: state.leaderLogStart, localLogStart: state.localLogStart ?? state.hotStart, inSync: [] }),
    fetch: async (r: FetchRequest): Promise<Outcome<FetchSuccess, PartitionError>> => {
      calls.push(r.offset);
      if (state.serving === false) return { ok: false, error: { code: ErrorCode.NOT_LEADER_OR_FOLLOWER, message: 'moved' } };
      if (r.offset < state.leaderLogStart || r.offset > HW) return { ok: false, error: { code: ErrorCode.OFFSET_OUT_OF_RANGE, message: 'out' } };
      if (r.offset >= HW) return { ok: true, value: { records: Buffer.alloc(0), highWatermark: HW, logStartOffset: state.leaderLogStart, nextOffset: r.offset } };
      if (r.offset < state.hotStart) return { ok: false, error: { code: ErrorCode.KAFKA_STORAGE_ERROR, message: `no replica could serve offset ${r.offset}` } };
      return { ok: true, value: { records: Buffer.from(`hot@${r.offset}`), highWatermark: HW, logStartOffset: state.leaderLogStart, nextOffset: r.offset + 1n } };
    },
  };
  return { leader: leader as unknown as PartitionLeader, calls };
}

function fakeTier(answer: (offset: bigint) => TierFetchOutcome) {
  const asked: bigint[] = [];
  const trimmed: bigint[] = [];
  const port: TierPort = {
    fetch: async (_p, r) => {
      asked.push(r.offset);
      return answer(r.offset);
    },
    offsetForTimestamp: async () => ({ kind: 'not_found' }),
    trim: async (_p, offset) => {
      trimmed.push(offset);
      return { kind: 'trimmed', tieredStart: offset, segmentsDeleted: 1 };
    },
  };
  return { port, asked, trimmed };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

/** Tier holds [10, 60). */
const tierHolding = (offset: bigint): TierFetchOutcome =>
  offset >= 10n && offset < 60n ? { kind: 'records', records: Buffer.from(`cold@${offset}`), nextOffset: offset + 1n, tieredStart: 10n, tieredEnd: 60n } : { kind: 'out_of_range', tieredStart: 10n, tieredEnd: 60n };

describe('TierReadPath', () => {
  it('serves from the tier what the replicas dropped, and from the hot tier what they still hold', async () => {
    // Recovered when the first local offset was 30; local retention has since dropped [30, 50).
    const { leader, calls } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n, localLogStart: 30n });
    const tier = fakeTier(tierHolding);
    const path = new TierReadPath(tier.port);
    const cold = await path.fetch(leader, REF, { offset: 40n, maxBytes: 1000 });
    expect(cold).toEqual({ ok: true, value: { records: Buffer.from('cold@40'), highWatermark: HW, logStartOffset: 10n, nextOffset: 41n } });
    // Below the first local offset at recovery the hot tier is not tried at all.
    calls.length = 0;
    const older = await path.fetch(leader, REF, { offset: 20n, maxBytes: 1000 });
    expect(older.ok && older.value.records.toString()).toBe('cold@20');
    expect(calls).toEqual([HW]);
    const hot = await path.fetch(leader, REF, { offset: 55n, maxBytes: 1000 });
    expect(hot.ok && hot.value.records.toString()).toBe('hot@55');
    expect(tier.asked).toEqual([40n, 20n]);
    // 40 is known gone from the hot tier: 35 goes to the tier after only a leadership check at the HW.
    calls.length = 0;
    await path.fetch(leader, REF, { offset: 35n, maxBytes: 1000 });
    expect(calls).toEqual([HW]);
    expect(tier.asked).toEqual([40n, 20n, 35n]);
  });

  it('reports the tiered log start on hot reads once seen (KIP-405 log start)', async () => {
    const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n });
    const path = new TierReadPath(fakeTier(tierHolding).port);
    // A leader recovered after local retention: nothing deleted, the hot tier starts at 50.
    const cold = await path.fetch(leader, REF, { offset: 10n, maxBytes: 1000 });
    expect(cold.ok && cold.value.logStartOffset).toBe(10n);
    const hot = await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
    expect(hot.ok && hot.value.logStartOffset).toBe(10n);
  });

  it('is OFFSET_OUT_OF_RANGE only below the tiered start; past the log end the hot answer stands', async () => {
    // Tiered retention deleted [0, 10) without moving the durable start (0).
    const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n });
    const tier = fakeTier(tierHolding);
    const path = new TierReadPath(tier.port);
    const below = await path.fetch(leader, REF, { offset: 5n, maxBytes: 1000 });
    expect(!below.ok && below.error.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    const past = await path.fetch(leader, REF, { offset: 150n, maxBytes: 1000 });
    expect(!past.ok && past.error.code).toBe(ErrorCode.OFFSET_OUT_OF_RANGE);
    expect(tier.asked).toEqual([5n]);
  });

  it('answers a retriable KAFKA_STORAGE_ERROR while tiered storage is unreachable, and serves again after', async () => {
    const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n });
    let down = true;
    const path = new TierReadPath(fakeTier((o) => (down ? { kind: 'unavailable', message: 'connect ECONNREFUSED' } : tierHolding(o))).port);
    const failed = await path.fetch(leader, REF, { offset: 20n, maxBytes: 1000 });
    expect(!failed.ok && failed.error).toEqual({ code: ErrorCode.KAFKA_STORAGE_ERROR, message: 'tiered storage unavailable: connect ECONNREFUSED' });
    down = false;
    const served = await path.fetch(leader, REF, { offset: 20n, maxBytes: 1000 });
    expect(served.ok && served.value.records.toString()).toBe('cold@20');
  });

  it('keeps the hot error when nothing is tiered, and leadership errors win over the tier', async () => {
    const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n });
    const none = new TierReadPath(fakeTier(() => ({ kind: 'none' })).port);
    const r = await none.fetch(leader, REF, { offset: 20n, maxBytes: 1000 });
    expect(!r.ok && r.error.code).toBe(ErrorCode.KAFKA_STORAGE_ERROR);
    const moved = fakeLeader({ hotStart: 50n, leaderLogStart: 10n, serving: false });
    const tier = fakeTier(tierHolding);
    const notLeader = await new TierReadPath(tier.port).fetch(moved.leader, REF, { offset: 20n, maxBytes: 1000 });
    expect(!notLeader.ok && notLeader.error.code).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
    expect(tier.asked).toEqual([]);
  });

  describe('after DeleteRecords (KIP-107 across tiers)', () => {
    it('refuses offsets below the durable start from either tier after a restart, with nothing in broker memory', async () => {
      // A leader recovered after a broker restart: its start (30) is what the replicas persisted,
      // the hot tier starts at 50, the tier still holds [10, 60) (its trim never arrived).
      const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 30n });
      const tier = fakeTier(tierHolding);
      const path = new TierReadPath(tier.port);
      const below = await path.fetch(leader, REF, { offset: 20n, maxBytes: 1000 });
      expect(!below.ok && below.error).toEqual({ code: ErrorCode.OFFSET_OUT_OF_RANGE, message: 'offset 20 is below the log start 30 (deleted records)' });
      // The tier still holding 20 does not matter: it is not asked.
      expect(tier.asked).toEqual([]);
      const at = await path.fetch(leader, REF, { offset: 30n, maxBytes: 1000 });
      expect(at).toEqual({ ok: true, value: { records: Buffer.from('cold@30'), highWatermark: HW, logStartOffset: 30n, nextOffset: 31n } });
      const hot = await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
      expect(hot.ok && hot.value.logStartOffset).toBe(30n);
      path.close();
    });

    it('asks the tier to trim after DeleteRecords', async () => {
      const tier = fakeTier(tierHolding);
      const path = new TierReadPath(tier.port);
      path.recordsDeleted(REF, 30n);
      await settle();
      expect(tier.trimmed).toEqual([30n]);
      path.close();
    });

    it('re-sends the trim when a recovered leader finds the tier starting below its durable start, and only then', async () => {
      const tier = fakeTier(tierHolding);
      const path = new TierReadPath(tier.port);
      await path.leaderStarted(REF, 30n);
      await settle();
      expect(tier.trimmed).toEqual([30n]);
      // The tier already starts at 10: a durable start at or below it needs no trim; nor does 0.
      await path.leaderStarted(REF, 10n);
      await path.leaderStarted(REF, 0n);
      await settle();
      expect(tier.trimmed).toEqual([30n]);
      path.close();
    });

    it('lets leadership errors win over the deleted range', async () => {
      const moved = fakeLeader({ hotStart: 50n, leaderLogStart: 30n, serving: false });
      const path = new TierReadPath(fakeTier(tierHolding).port);
      const r = await path.fetch(moved.leader, REF, { offset: 20n, maxBytes: 1000 });
      expect(!r.ok && r.error.code).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);
      path.close();
    });
  });

  describe('logStartAcrossTiers: max(durable start, min(tiered start, first hot offset))', () => {
    it.each([
      // [durable L, first hot H, tiered T, expected]
      [0n, 50n, 10n, 10n], // tiered data older than the hot tier: the tier's start
      [30n, 50n, 10n, 30n], // DeleteRecords inside the tiered range: the durable start
      [0n, 50n, undefined, 50n], // tier not asked yet: the hot start (never lower than known)
      [5n, 50n, 20n, 20n], // tiered retention deleted [5, 20): never the durable start (reset loop)
      [70n, 50n, 10n, 70n], // DeleteRecords inside the hot tier
      [0n, 0n, 40n, 0n], // hot tier holds everything
    ])('L=%s H=%s T=%s → %s', (logStart, localLogStart, tiered, expected) => {
      expect(logStartAcrossTiers({ logStart, localLogStart }, tiered)).toBe(expected);
    });
  });

  it('learns the tiered log start in the background after the first hot read, at most once a minute while unknown', async () => {
    const { leader } = fakeLeader({ hotStart: 50n, leaderLogStart: 0n });
    let now = 0;
    let answer: TierFetchOutcome = { kind: 'none' };
    const tier = fakeTier(() => answer);
    const path = new TierReadPath(tier.port, { now: () => now });
    const first = await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
    // The hot read is not delayed by the probe: it carries the leader's (hot) start.
    expect(first.ok && first.value.logStartOffset).toBe(50n);
    await settle();
    expect(tier.asked).toEqual([0n]);
    answer = { kind: 'out_of_range', tieredStart: 10n, tieredEnd: 60n };
    await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
    await settle();
    expect(tier.asked).toEqual([0n]);
    now = 60_000;
    await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
    await settle();
    const later = await path.fetch(leader, REF, { offset: 70n, maxBytes: 1000 });
    expect(later.ok && later.value.logStartOffset).toBe(10n);
    expect(tier.asked).toEqual([0n, 0n]);
  });
});
