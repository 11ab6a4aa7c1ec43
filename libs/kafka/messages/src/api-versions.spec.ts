import { API_REGISTRY, API_TABLE, UNSERVED_APIS } from './generated';
import { advertisedApis, apiEntry, requestHeaderVersionFor, responseHeaderVersionFor } from './api-versions';

describe('API table and registry', () => {
  it('has codecs for every table entry, spanning exactly its versions', () => {
    expect(API_REGISTRY.size).toBe(API_TABLE.length);
    for (const entry of API_TABLE) {
      const codec = API_REGISTRY.get(entry.apiKey);
      expect(codec?.name).toBe(entry.name);
      for (const side of [codec?.request, codec?.response]) {
        expect(side?.versions.min).toBe(entry.minVersion);
        expect(side?.versions.max).toBe(entry.maxVersion);
        expect(side?.versions.flexibleMin).toBe(entry.flexibleMinVersion);
      }
    }
  });

  it('lists only broker APIs, each unserved one with a reason', () => {
    for (const entry of API_TABLE) expect(entry.listeners).toContain('broker');
    for (const u of UNSERVED_APIS) {
      expect(apiEntry(u.apiKey)?.name).toBe(u.name);
      expect(u.reason.length).toBeGreaterThan(20);
    }
  });
});

describe('advertised APIs', () => {
  const advertised = new Map(advertisedApis().map((a) => [a.apiKey, a]));

  it('serves the core client APIs and leaves out the unserved ones', () => {
    for (const key of [0, 1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 17, 18, 19, 22, 36, 68]) expect(advertised.has(key)).toBe(true);
    for (const u of UNSERVED_APIS) expect(advertised.has(u.apiKey)).toBe(false);
    expect(advertised.size).toBe(API_TABLE.length - UNSERVED_APIS.length);
  });

  it('does not advertise a newest version the spec marks unstable', () => {
    for (const entry of API_TABLE) {
      const a = advertised.get(entry.apiKey);
      if (a === undefined) continue;
      expect(a.maxVersion).toBe(entry.latestVersionUnstable ? entry.maxVersion - 1 : entry.maxVersion);
      expect(a.minVersion).toBe(entry.minVersion);
    }
  });
});

describe('header versions', () => {
  it('uses request header v2 for flexible versions and v1 before', () => {
    const produce = apiEntry(0);
    expect(produce?.flexibleMinVersion).toBe(9);
    expect(requestHeaderVersionFor(0, 9)).toBe(2);
    expect(requestHeaderVersionFor(0, 8)).toBe(1);
    expect(responseHeaderVersionFor(0, 9)).toBe(1);
    expect(responseHeaderVersionFor(0, 8)).toBe(0);
  });

  it('answers ApiVersions with response header v0 even in flexible versions (KIP-511)', () => {
    expect(requestHeaderVersionFor(18, 3)).toBe(2);
    expect(responseHeaderVersionFor(18, 3)).toBe(0);
  });

  it('knows nothing of unknown API keys', () => {
    expect(requestHeaderVersionFor(999, 0)).toBeUndefined();
    expect(responseHeaderVersionFor(999, 0)).toBeUndefined();
  });
});
