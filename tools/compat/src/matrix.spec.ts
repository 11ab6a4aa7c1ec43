import { mergeSuites, renderMatrix, replaceMatrix, type SuiteResults } from './matrix';

const suite: SuiteResults = {
  target: 'stratus',
  description: 'Stratus local cluster',
  recordsPerCodec: 10,
  finishedAt: '2026-01-01T00:00:00.000Z',
  clients: [
    { id: 'a', label: 'Client A' },
    { id: 'b', label: 'Client B' },
  ],
  scenarios: [
    { id: 's1', title: 'first' },
    { id: 's2', title: 'second' },
  ],
  results: [
    { client: 'a', scenario: 's1', outcome: 'pass', durationMs: 1 },
    { client: 'a', scenario: 's2', outcome: 'fail', reason: 'broke | badly\nhere', durationMs: 1 },
    { client: 'b', scenario: 's1', outcome: 'n/a', reason: 'no admin API', durationMs: 0 },
  ],
};

describe('renderMatrix', () => {
  it('shows one row per scenario, one column per client, and numbered reasons', () => {
    const text = renderMatrix(suite);
    expect(text).toContain('| Scenario | Client A | Client B |');
    expect(text).toContain('| first | ✅ | n/a [1] |');
    expect(text).toContain('| second | ❌ [2] | – |');
    expect(text).toContain('1. b / s1: no admin API');
    expect(text).toContain('2. a / s2: broke \\| badly here');
    expect(text).toContain('1 passed, 1 failed');
  });
});

describe('replaceMatrix', () => {
  it('replaces only the text between the markers', () => {
    const doc = 'before\n<!-- compat-matrix:start -->\nold\n<!-- compat-matrix:end -->\nafter\n';
    const out = replaceMatrix(doc, suite);
    expect(out.startsWith('before\n<!-- compat-matrix:start -->\n')).toBe(true);
    expect(out.endsWith('<!-- compat-matrix:end -->\nafter\n')).toBe(true);
    expect(out).not.toContain('old');
  });

  it('appends a section when the markers are missing, and keeps the Kafka matrix separate', () => {
    const out = replaceMatrix('# doc\n', { ...suite, target: 'kafka' });
    expect(out).toContain('### Against Apache Kafka (reference)\n\n<!-- compat-matrix-kafka:start -->');
    expect(replaceMatrix(out, suite)).toContain('<!-- compat-matrix-kafka:start -->');
  });
});

describe('mergeSuites', () => {
  const subset: SuiteResults = {
    ...suite,
    finishedAt: '2026-01-02T00:00:00.000Z',
    clients: [{ id: 'b', label: 'Client B' }],
    results: [
      { client: 'b', scenario: 's1', outcome: 'pass', durationMs: 1 },
      { client: 'b', scenario: 's2', outcome: 'fail', reason: 'nope', durationMs: 1 },
    ],
  };

  it('replaces only the subset clients and keeps the others with their own run time', () => {
    const merged = mergeSuites(suite, subset, ['a', 'b']);
    expect(merged.clients.map((c) => c.id)).toEqual(['a', 'b']);
    expect(merged.results.filter((r) => r.client === 'b').map((r) => r.outcome)).toEqual(['pass', 'fail']);
    expect(merged.results.filter((r) => r.client === 'a')).toEqual(suite.results.filter((r) => r.client === 'a'));
    expect(merged.clientRuns).toEqual({ a: '2026-01-01T00:00:00.000Z', b: '2026-01-02T00:00:00.000Z' });
    expect(renderMatrix(merged)).toContain('clients run one or two at a time between 2026-01-01T00:00:00.000Z and 2026-01-02T00:00:00.000Z: 2 passed, 2 failed');
  });

  it('keeps the suite order of clients when the first subset run is a later client', () => {
    const onlyB = mergeSuites(undefined, subset, ['a', 'b']);
    expect(onlyB.clients.map((c) => c.id)).toEqual(['b']);
    const aLater = mergeSuites(onlyB, { ...suite, clients: [{ id: 'a', label: 'Client A' }], results: suite.results.filter((r) => r.client === 'a') }, ['a', 'b']);
    expect(aLater.clients.map((c) => c.id)).toEqual(['a', 'b']);
  });

  it('does not mix runs of different sizes: the subset then stands alone', () => {
    const merged = mergeSuites({ ...suite, recordsPerCodec: 100_000 }, subset, ['a', 'b']);
    expect(merged.clients.map((c) => c.id)).toEqual(['b']);
    expect(merged.results.every((r) => r.client === 'b')).toBe(true);
  });
});
