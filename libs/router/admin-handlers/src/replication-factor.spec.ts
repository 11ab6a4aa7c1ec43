import { ErrorCode } from '@stratus/kafka-errors';
import { checkReplicationFactor } from './replication-factor';

describe('checkReplicationFactor', () => {
  it('passes -1 through as the default and turns 1..3 into Stratus’s 3 copies', () => {
    expect(checkReplicationFactor(-1)).toEqual({ ok: true, value: -1 });
    for (const rf of [1, 2, 3]) expect(checkReplicationFactor(rf)).toEqual({ ok: true, value: 3 });
  });

  it('refuses 0, below -1 and above 3 with INVALID_REPLICATION_FACTOR', () => {
    for (const rf of [0, -2, 4, 32767]) {
      const r = checkReplicationFactor(rf);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.code).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    }
  });
});
