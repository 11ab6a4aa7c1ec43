import { parseCliOptions, UsageError } from './cli-options';

describe('parseCliOptions', () => {
  it('defaults to .stratus/local under the working directory, keeping data', () => {
    expect(parseCliOptions([], '/repo')).toEqual({ dataDir: '/repo/.stratus/local', fresh: false, exitWhenReady: false });
  });

  it('reads --fresh, --exit-when-ready and a relative --data-dir', () => {
    expect(parseCliOptions(['--fresh', '--data-dir', 'tmp/x', '--exit-when-ready'], '/repo')).toEqual({
      dataDir: '/repo/tmp/x',
      fresh: true,
      exitWhenReady: true,
    });
  });

  it('rejects unknown options and a --data-dir without a value, naming the problem', () => {
    expect(() => parseCliOptions(['--frsh'], '/repo')).toThrow(new RegExp('unknown option --frsh'));
    expect(() => parseCliOptions(['--data-dir'], '/repo')).toThrow(UsageError);
    expect(() => parseCliOptions(['--data-dir', '--fresh'], '/repo')).toThrow(/--data-dir needs a directory/);
  });
});
