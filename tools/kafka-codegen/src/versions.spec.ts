import { camelCase, constantCase, kebabCase } from './names';
import { formatRange, hull, intersect, isEmpty, parseVersions, versionCondition } from './versions';

describe('version ranges', () => {
  it('parses every form the specs use', () => {
    expect(parseVersions('0+')).toEqual({ min: 0, max: Infinity });
    expect(parseVersions('3-5')).toEqual({ min: 3, max: 5 });
    expect(parseVersions('7')).toEqual({ min: 7, max: 7 });
    expect(isEmpty(parseVersions('none'))).toBe(true);
    expect(isEmpty(parseVersions(undefined))).toBe(true);
    expect(() => parseVersions('1..2')).toThrow(/invalid version range/);
  });

  it('intersects, joins and formats', () => {
    expect(intersect({ min: 0, max: Infinity }, { min: 3, max: 9 })).toEqual({ min: 3, max: 9 });
    expect(hull({ min: 1, max: 2 }, { min: 5, max: 6 })).toEqual({ min: 1, max: 6 });
    expect(formatRange({ min: 4, max: Infinity })).toBe('4+');
    expect(formatRange({ min: 4, max: 4 })).toBe('4');
    expect(formatRange(parseVersions('none'))).toBe('none');
  });

  it('folds version checks the reaching versions already decide', () => {
    const reach = { min: 3, max: 13 };
    expect(versionCondition({ min: 0, max: Infinity }, reach)).toBe('true');
    expect(versionCondition({ min: 9, max: Infinity }, reach)).toBe('version >= 9');
    expect(versionCondition({ min: 0, max: 12 }, reach)).toBe('version <= 12');
    expect(versionCondition({ min: 5, max: 7 }, reach)).toBe('version >= 5 && version <= 7');
    expect(versionCondition({ min: 0, max: 2 }, reach)).toBe('false');
  });
});

describe('names', () => {
  it('maps spec names to TypeScript and file names', () => {
    expect(camelCase('ThrottleTimeMs')).toBe('throttleTimeMs');
    expect(camelCase('KRaftVersion')).toBe('kRaftVersion');
    expect(kebabCase('DescribeTopicPartitionsRequest')).toBe('describe-topic-partitions-request');
    expect(constantCase('ApiVersionsResponse')).toBe('API_VERSIONS_RESPONSE');
  });
});
