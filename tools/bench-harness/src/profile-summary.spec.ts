import { callersOf } from './profile-callers';
import { parseSummaryArgs, selfTimeByNode, summariseProfile, windowFromMarker } from './profile-summary';
import { libraryRoots, nodeModulesPackage, ownerOfFrame, ownerOfSource } from './profile-packages';

const frame = (functionName: string, url = '', lineNumber = -1) => ({ functionName, url, lineNumber, columnNumber: 0 });
const profile = {
  startTime: 1_000_000,
  endTime: 1_005_000,
  nodes: [
    { id: 1, callFrame: frame('(root)') },
    { id: 2, callFrame: frame('(idle)') },
    { id: 3, callFrame: frame('crc32c', 'file:///x/dist/apps/broker/main.js', 9) },
    { id: 4, callFrame: frame('encode', 'file:///x/node_modules/@bufbuild/protobuf/dist/cjs/wire/binary-encoding.js', 99) },
  ],
  // Samples at 1_001_000, 1_002_000, 1_003_000, 1_004_000, 1_005_000 (start + running sum of deltas).
  samples: [3, 3, 4, 2, 3],
  timeDeltas: [1000, 1000, 1000, 1000, 1000],
};

describe('summariseProfile', () => {
  it('attributes sample time to functions, files and packages; shares are of non-idle time', () => {
    const s = summariseProfile(profile, { top: 10, roots: [], originalSource: () => ({ source: 'webpack://stratus/libs/broker/core/src/log.ts', line: 0 }) });
    expect(s.totalMs).toBe(4);
    expect(s.busyShare).toBe(0.75);
    expect(s.functions[0]).toEqual({ name: 'crc32c dist/apps/broker/main.js:10', selfMs: 2, share: 2 / 3 });
    expect(s.files.map((f) => f.name)).not.toContain('(idle)');
    expect(s.packages.map((p) => p.name)).toEqual(['libs/broker/core/src/log.ts', '@bufbuild/protobuf']);
  });

  it('with a window counts only samples taken inside it', () => {
    // Window [1_002_000, 1_004_000): the samples at 1_002_000 (crc32c) and 1_003_000 (encode).
    const window = windowFromMarker({ start: { wallMs: 0, monotonicUs: 1_002_000 }, end: { wallMs: 2, monotonicUs: 1_004_000 } });
    const counted = selfTimeByNode(profile, window);
    expect(counted.counted).toBe(2);
    expect(counted.total).toBe(5);
    expect([...counted.selfUs]).toEqual([
      [3, 1000],
      [4, 1000],
    ]);
    const s = summariseProfile(profile, { top: 10, window });
    expect(s.busyShare).toBe(1);
    expect(s.coveredMs).toBe(2);
    expect(s.samplesCounted).toBe(2);
  });

  it('a window outside the profile counts nothing and covers nothing', () => {
    const s = summariseProfile(profile, { top: 10, window: { startUs: 2_000_000, endUs: 3_000_000 } });
    expect(s.totalMs).toBe(0);
    expect(s.coveredMs).toBe(0);
    expect(s.functions).toEqual([]);
  });
});

describe('frame owners', () => {
  const roots = libraryRoots({ '@stratus/kafka-protocol': ['libs/kafka/protocol/src/index.ts'], '@stratus/kafka-protocol-gen': ['libs/kafka/protocol-gen/src/index.ts'] });

  it('finds the innermost node_modules package, scoped or not', () => {
    expect(nodeModulesPackage('/w/node_modules/@grpc/grpc-js/build/src/call.js')).toBe('@grpc/grpc-js');
    expect(nodeModulesPackage('/w/node_modules/a/node_modules/protobufjs/src/x.js')).toBe('protobufjs');
    expect(nodeModulesPackage('/w/libs/x.ts')).toBeUndefined();
  });

  it('maps bundled sources to our libraries by their tsconfig path root (longest root wins)', () => {
    expect(ownerOfSource('webpack://stratus/libs/kafka/protocol-gen/src/a.ts', roots)).toBe('@stratus/kafka-protocol-gen');
    expect(ownerOfSource('/work/main/libs/kafka/protocol/src/codec.ts', roots)).toBe('@stratus/kafka-protocol');
    expect(ownerOfSource('webpack://stratus/apps/broker/src/main.ts', roots)).toBe('app:broker');
  });

  it('classifies runtime, pseudo frames and bundles without a source map', () => {
    expect(ownerOfFrame(frame('(garbage collector)'), { roots })).toBe('(garbage collector)');
    expect(ownerOfFrame(frame('readFileUtf8'), { roots })).toBe('(native/V8 builtins)');
    expect(ownerOfFrame(frame('x', 'node:internal/streams/readable', 3), { roots })).toBe('node (runtime)');
    expect(ownerOfFrame(frame('x', 'file:///w/dist/apps/router/main.js', 3), { roots })).toBe('dist/apps/router/main.js (no source map)');
    expect(ownerOfFrame(frame('x', 'file:///w/dist/apps/router/main.js', 3), { roots, originalSource: () => ({ source: 'webpack://s/libs/kafka/protocol/src/a.ts', line: 4 }) })).toBe('@stratus/kafka-protocol');
  });
});

describe('parseSummaryArgs', () => {
  it('reads files, --top and --window; rejects bad input', () => {
    expect(parseSummaryArgs(['--window', 'w.json', 'a.cpuprofile', '--top', '5'])).toEqual({ files: ['a.cpuprofile'], top: 5, depth: 3, windowFile: 'w.json' });
    expect(parseSummaryArgs(['--callers', 'f', '--depth', '7', 'a'])).toEqual({ files: ['a'], top: 15, depth: 7, callers: 'f' });
    expect(parseSummaryArgs(['--depth', '0', 'a'])).toHaveProperty('error');
    expect(parseSummaryArgs([])).toEqual({ error: 'no .cpuprofile files given' });
    expect(parseSummaryArgs(['--top', 'x', 'a'])).toHaveProperty('error');
    expect(parseSummaryArgs(['--window'])).toHaveProperty('error');
    expect(parseSummaryArgs(['--bogus', 'a'])).toHaveProperty('error');
  });
});

describe('callersOf', () => {
  // root -> handler (ours, bundled) -> makeUnaryRequest (grpc) -> write (node); and an async root -> makeUnaryRequest.
  const stacks = {
    startTime: 0,
    endTime: 4000,
    nodes: [
      { id: 1, callFrame: frame('(root)'), children: [2, 5] },
      { id: 2, callFrame: frame('handleProduce', 'file:///w/dist/apps/broker/main.js', 10), children: [3] },
      { id: 3, callFrame: frame('makeUnaryRequest', 'file:///w/node_modules/@grpc/grpc-js/build/src/client.js', 123), children: [4] },
      { id: 4, callFrame: frame('write', 'node:internal/http2/core', 1) },
      { id: 5, callFrame: frame('makeUnaryRequest', 'file:///w/node_modules/@grpc/grpc-js/build/src/client.js', 123) },
    ],
    samples: [4, 4, 5, 1],
    timeDeltas: [1000, 1000, 1000, 1000],
  };

  it('counts samples under the function by our first frames above it, mapped to sources', () => {
    const c = callersOf(stacks, { functionName: 'makeUnaryRequest', depth: 2, originalSource: () => ({ source: 'webpack://s/libs/broker/replica-client/src/node-client.ts', line: 102 }) });
    expect(c.samples).toBe(3);
    expect(c.callers).toEqual([
      { path: 'handleProduce@replica-client/src/node-client.ts:103', samples: 2 },
      { path: '(no caller of ours on the stack)', samples: 1 },
    ]);
  });

  it('respects the window', () => {
    expect(callersOf(stacks, { functionName: 'makeUnaryRequest', depth: 2, window: { startUs: 2500, endUs: 3500 } }).callers).toEqual([{ path: '(no caller of ours on the stack)', samples: 1 }]);
  });
});
