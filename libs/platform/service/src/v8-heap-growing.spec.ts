import { spawnSync } from 'node:child_process';
import { applyV8HeapGrowingPercent } from './v8-heap-growing';

describe('applyV8HeapGrowingPercent', () => {
  it('sets --heap-growing-percent to the configured percentage', () => {
    const set: string[] = [];
    expect(applyV8HeapGrowingPercent(200, (flags) => set.push(flags))).toBe('--heap-growing-percent=200');
    expect(set).toEqual(['--heap-growing-percent=200']);
  });

  it('leaves V8 its own sizing at 0 (and for anything that is not a positive whole number)', () => {
    const set: string[] = [];
    for (const percent of [0, -5, 1.5, Number.NaN]) expect(applyV8HeapGrowingPercent(percent, (flags) => set.push(flags))).toBeUndefined();
    expect(set).toEqual([]);
  });

  // setFlagsFromString does not throw on a flag V8 does not know: it prints an error on stderr and
  // goes on. So a child Node.js sets it, and its stderr must stay empty (a Node.js upgrade that
  // dropped the flag would show here; the unknown flag below shows what that looks like).
  const stderrOfSetting = (flag: string): string =>
    spawnSync(process.execPath, ['-e', `require('node:v8').setFlagsFromString(${JSON.stringify(flag)})`], { encoding: 'utf8' }).stderr;

  it('is a flag this Node.js version knows', () => {
    const flag = applyV8HeapGrowingPercent(200, () => undefined) ?? '';
    expect(stderrOfSetting(flag)).toBe('');
    expect(stderrOfSetting('--heap-growing-percentage-unknown=200')).toContain('unrecognized flag');
  });
});
