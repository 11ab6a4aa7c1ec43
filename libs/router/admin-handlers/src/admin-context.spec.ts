import type { AdminContext } from './admin-context';
import { controllerDeadlineMs, duplicatesOf } from './admin-context';

const admin = { metadataTimeoutMs: 10_000 } as AdminContext;

describe('controllerDeadlineMs', () => {
  it('uses the request timeout_ms when set, capped by the metadata deadline', () => {
    expect(controllerDeadlineMs(admin, 500)).toBe(500);
    expect(controllerDeadlineMs(admin, 60_000)).toBe(10_000);
    expect(controllerDeadlineMs(admin, 0)).toBe(10_000);
    expect(controllerDeadlineMs(admin, -1)).toBe(10_000);
  });
});

describe('duplicatesOf', () => {
  it('names every value seen more than once', () => {
    expect([...duplicatesOf(['a', 'b', 'a', 'c', 'b', 'a'])].sort()).toEqual(['a', 'b']);
    expect(duplicatesOf([]).size).toBe(0);
  });
});
