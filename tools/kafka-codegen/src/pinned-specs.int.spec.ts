// Against the pinned kafka-clients specs (fetched from Maven Central on first use, then cached in
// tmp/kafka-specs): the committed API table covers every broker API at every valid version, and
// the committed generated code and compatibility table are exactly what the generator produces.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_REGISTRY, API_TABLE, UNSERVED_APIS, advertisedApis } from '@stratus/kafka-messages';
import { brokerApis } from './emit-table';
import { generate, staleFiles, withCompatibilityTable } from './generate';
import { COMPATIBILITY_DOC, GENERATED_DIR, findWorkspaceRoot } from './main';
import { loadSpecFolder } from './spec-loader';
import { pinnedSpecs } from './spec-source';

const root = findWorkspaceRoot(__dirname);
const source = pinnedSpecs(root);
const apis = brokerApis(loadSpecFolder(source.dir));

describe(`pinned specs (${source.label})`, () => {
  it('has broker APIs to cover', () => {
    expect(apis.length).toBeGreaterThan(60);
  });

  it.each(apis.map((a) => [a.apiKey, a.name, a] as const))('API %i %s: in the table with every valid version and codecs for each', (apiKey, _name, api) => {
    const entry = API_TABLE.find((e) => e.apiKey === apiKey);
    expect(entry).toEqual(
      expect.objectContaining({
        name: api.name,
        minVersion: api.request.validVersions.min,
        maxVersion: api.request.validVersions.max,
        flexibleMinVersion: api.request.flexibleVersions.min > api.request.flexibleVersions.max ? null : api.request.flexibleVersions.min,
        latestVersionUnstable: api.request.latestVersionUnstable,
      }),
    );
    const codec = API_REGISTRY.get(apiKey);
    expect(codec?.request.name).toBe(api.request.name);
    expect(codec?.response.name).toBe(api.response.name);
    for (let v = api.request.validVersions.min; v <= api.request.validVersions.max; v++) {
      expect(v).toBeGreaterThanOrEqual(codec?.request.versions.min ?? Infinity);
      expect(v).toBeLessThanOrEqual(codec?.request.versions.max ?? -1);
      expect(v).toBeGreaterThanOrEqual(codec?.response.versions.min ?? Infinity);
      expect(v).toBeLessThanOrEqual(codec?.response.versions.max ?? -1);
    }
  });

  it('has no table entry that is not a broker API of the specs', () => {
    expect(API_TABLE.map((e) => e.apiKey).sort((a, b) => a - b)).toEqual(apis.map((a) => a.apiKey));
  });

  it('names only real broker APIs as unserved, and advertises all the others', () => {
    const names = new Set(apis.map((a) => a.name));
    for (const u of UNSERVED_APIS) expect(names.has(u.name)).toBe(true);
    const advertised = new Set(advertisedApis().map((a) => a.apiKey));
    for (const api of apis) expect(advertised.has(api.apiKey)).toBe(!UNSERVED_APIS.some((u) => u.apiKey === api.apiKey));
  });

  it('matches the committed generated code and compatibility table (regenerate if this fails)', () => {
    const generated = generate(source);
    expect(staleFiles(join(root, GENERATED_DIR), generated.files)).toEqual([]);
    const doc = readFileSync(join(root, COMPATIBILITY_DOC), 'utf8');
    expect(withCompatibilityTable(doc, generated.compatibilityTable)).toBe(doc);
  });
});
