import { summariseProfile } from './profile-summary';

describe('summariseProfile', () => {
  it('attributes sample time to functions and files and reports the idle share', () => {
    const profile = {
      startTime: 0,
      endTime: 40,
      nodes: [
        { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: -1 } },
        { id: 2, callFrame: { functionName: '(idle)', url: '', lineNumber: -1 } },
        { id: 3, callFrame: { functionName: 'crc32c', url: 'file:///x/dist/apps/broker/main.js', lineNumber: 9 } },
        { id: 4, callFrame: { functionName: 'encode', url: 'file:///x/dist/apps/broker/main.js', lineNumber: 99 } },
      ],
      samples: [3, 3, 4, 2, 3],
      timeDeltas: [0, 1000, 1000, 1000, 1000],
    };
    const s = summariseProfile(profile, { top: 10 });
    expect(s.totalMs).toBe(4);
    expect(s.busyShare).toBe(0.75);
    expect(s.functions[0]).toEqual({ name: 'crc32c dist/apps/broker/main.js:10', selfMs: 2, share: 0.5 });
    expect(s.files[0]).toEqual({ name: 'dist/apps/broker/main.js', selfMs: 3, share: 0.75 });
  });
});
