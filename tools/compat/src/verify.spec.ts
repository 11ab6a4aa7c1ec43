import { SCENARIOS } from './scenarios';
import type { ConsumedRecord, DriverOp } from './protocol';
import { verifyRecords, verifyResult } from './verify';

const rec = (p: number, o: number, tag: string, i: number, m = 0): ConsumedRecord => ({ p, o: String(o), k: `k${i}`, v: `${tag}-${i}`, m });
const scenario = (id: string) => {
  const found = SCENARIOS.find((s) => s.id === id);
  if (!found) throw new Error(id);
  return found;
};

describe('verifyRecords', () => {
  it('accepts every record once, in order per partition, in any order across partitions', () => {
    const records = [rec(1, 0, 'none', 1), rec(0, 0, 'none', 0), rec(0, 1, 'none', 2), rec(1, 1, 'gzip', 0), rec(1, 2, 'gzip', 1)];
    expect(verifyRecords([...records, rec(0, 2, 'gzip', 2)], ['none', 'gzip'], 3)).toBeUndefined();
  });

  it('reports a missing record by name', () => {
    expect(verifyRecords([rec(0, 0, 'none', 0), rec(0, 1, 'none', 2)], ['none'], 3)).toBe('none: got 2 of 3 records (first missing: none-1)');
  });

  it('reports a duplicate', () => {
    expect(verifyRecords([rec(0, 0, 'none', 0), rec(0, 1, 'none', 0)], ['none'], 1)).toMatch(/delivered twice/);
  });

  it('reports records out of order within a partition, judged by offset not by arrival', () => {
    expect(verifyRecords([rec(0, 5, 'none', 0), rec(0, 4, 'none', 1)], ['none'], 2)).toMatch(/order broken/);
    expect(verifyRecords([rec(0, 5, 'none', 1), rec(0, 4, 'none', 0)], ['none'], 2)).toBeUndefined();
  });

  it('reports a key that does not match its value, and foreign records', () => {
    expect(verifyRecords([{ p: 0, o: '0', k: 'k9', v: 'none-0' }], ['none'], 1)).toMatch(/has key "k9"/);
    expect(verifyRecords([{ p: 0, o: '0', k: 'k0', v: 'lz4-0' }], ['none'], 1)).toMatch(/unexpected record value/);
  });
});

describe('verifyResult', () => {
  it('requires the wrong password to be refused as an authentication failure', () => {
    const op: DriverOp = { op: 'auth', topic: 't' };
    expect(verifyResult(scenario('wrong-password'), op, { ok: true, refused: true }, ['none'], 1)).toBeUndefined();
    expect(verifyResult(scenario('wrong-password'), op, { ok: true, refused: false }, ['none'], 1)).toBe('a wrong password was accepted');
    expect(verifyResult(scenario('wrong-password'), op, { ok: true, refused: false, error: 'timeout' }, ['none'], 1)).toMatch(/not refused.*timeout/);
  });

  it('needs every member of the group to have received records', () => {
    const op: DriverOp = { op: 'consume-group', topic: 't', group: 'g', members: 3, expect: 2 };
    const records = [rec(0, 0, 'none', 0, 0), rec(1, 0, 'none', 1, 1)];
    expect(verifyResult(scenario('consume-group'), op, { ok: true, records }, ['none'], 2)).toBe('only 2 of 3 group members received records');
  });

  it('accepts a rebalance replay in a group (same partition and offset twice) but not a value at two offsets', () => {
    const op: DriverOp = { op: 'consume-group', topic: 't', group: 'g', members: 2, expect: 2 };
    const replay = [rec(0, 0, 'none', 0, 0), rec(0, 0, 'none', 0, 1), rec(1, 0, 'none', 1, 1)];
    expect(verifyResult(scenario('consume-group'), op, { ok: true, records: replay }, ['none'], 2)).toBeUndefined();
    const rewritten = [rec(0, 0, 'none', 0, 0), rec(0, 1, 'none', 0, 1), rec(1, 0, 'none', 1, 1)];
    expect(verifyResult(scenario('consume-group'), op, { ok: true, records: rewritten }, ['none'], 2)).toMatch(/delivered twice/);
  });

  it('sees a duplicate across commit and resume as a commit not honoured', () => {
    const op: DriverOp = { op: 'commit-resume', topic: 't', group: 'g', firstBatch: 1, expect: 2 };
    const good = [rec(0, 0, 'none', 0, 0), rec(0, 1, 'none', 1, 1)];
    expect(verifyResult(scenario('commit-resume'), op, { ok: true, records: good }, ['none'], 2)).toBeUndefined();
    const replayed = [rec(0, 0, 'none', 0, 0), rec(0, 0, 'none', 0, 1), rec(0, 1, 'none', 1, 1)];
    expect(verifyResult(scenario('commit-resume'), op, { ok: true, records: replayed }, ['none'], 2)).toMatch(/commit was not honoured/);
  });

  it('checks the altered config reads back, and passes driver errors through', () => {
    const op: DriverOp = { op: 'alter-config', topic: 't', name: 'retention.ms', value: '7654321' };
    expect(verifyResult(scenario('alter-config'), op, { ok: true, configs: { 'retention.ms': '7654321' } }, [], 0)).toBeUndefined();
    expect(verifyResult(scenario('alter-config'), op, { ok: true, configs: { 'retention.ms': '1' } }, [], 0)).toMatch(/reads back as 1/);
    expect(verifyResult(scenario('alter-config'), op, { ok: false, error: 'POLICY_VIOLATION' }, [], 0)).toBe('POLICY_VIOLATION');
  });
});
