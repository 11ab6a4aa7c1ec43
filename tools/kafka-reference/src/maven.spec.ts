import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fetchMavenClasspath, MavenFetchError, renderFetchPom } from './maven';

// A stand-in `mvn` that writes one jar per call into -DoutputDirectory and counts its calls, so
// the caching rules are checked without Maven or a network.
function fakeMvn(dir: string, options: { fail?: boolean } = {}): string {
  const script = join(dir, 'mvn');
  writeFileSync(
    script,
    [
      '#!/bin/sh',
      `echo call >> "${join(dir, 'calls')}"`,
      options.fail ? 'echo "could not resolve" >&2; exit 1' : '',
      'for a in "$@"; do case "$a" in -DoutputDirectory=*) out="${a#-DoutputDirectory=}";; esac; done',
      'mkdir -p "$out" && n=$(wc -l < "' + join(dir, 'calls') + '") && touch "$out/dep-$n.jar"',
    ].join('\n'),
  );
  chmodSync(script, 0o755);
  return script;
}

const calls = (dir: string): number => readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n').length;

describe('fetchMavenClasspath', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'maven-spec-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('downloads once and reuses the cache for the same artifacts', async () => {
    const mvn = fakeMvn(dir);
    const first = await fetchMavenClasspath({ artifacts: ['a:b:1'], dir: join(dir, 'cache'), mvn });
    const second = await fetchMavenClasspath({ artifacts: ['a:b:1'], dir: join(dir, 'cache'), mvn });
    expect(first.jars.map((j) => j.split('/').pop())).toEqual(['dep-1.jar']);
    expect(second.jars).toEqual(first.jars);
    expect(calls(dir)).toBe(1);
  });

  it('downloads afresh, dropping old jars, when the artifact list changes', async () => {
    const mvn = fakeMvn(dir);
    await fetchMavenClasspath({ artifacts: ['a:b:1'], dir: join(dir, 'cache'), mvn });
    const changed = await fetchMavenClasspath({ artifacts: ['a:b:2'], dir: join(dir, 'cache'), mvn });
    expect(changed.jars.map((j) => j.split('/').pop())).toEqual(['dep-2.jar']);
    expect(calls(dir)).toBe(2);
  });

  it('reports a failed download with Maven output and retries next time', async () => {
    const mvn = fakeMvn(dir, { fail: true });
    const attempt = fetchMavenClasspath({ artifacts: ['a:b:1'], dir: join(dir, 'cache'), mvn });
    await expect(attempt).rejects.toBeInstanceOf(MavenFetchError);
    await expect(fetchMavenClasspath({ artifacts: ['a:b:1'], dir: join(dir, 'cache'), mvn })).rejects.toMatchObject({
      output: expect.stringContaining('could not resolve'),
    });
    expect(calls(dir)).toBe(2);
  });
});

describe('renderFetchPom: classifiers and non-transitive fetches', () => {
  it('declares a classifier given as the fourth part of the coordinate', () => {
    const pom = renderFetchPom(['org.apache.kafka:kafka-storage:4.3.1:test']);
    expect(pom).toContain('<artifactId>kafka-storage</artifactId><version>4.3.1</version><classifier>test</classifier></dependency>');
  });

  it('excludes every dependency when not transitive, and only then', () => {
    expect(renderFetchPom(['a:b:1'], { transitive: false })).toContain('<version>1</version><exclusions><exclusion><groupId>*</groupId><artifactId>*</artifactId></exclusion></exclusions></dependency>');
    expect(renderFetchPom(['a:b:1'])).not.toContain('<exclusions>');
  });

  it('rejects a coordinate with five parts or an empty classifier', () => {
    expect(() => renderFetchPom(['a:b:1:test:x'])).toThrow(/invalid Maven coordinate/);
    expect(() => renderFetchPom(['a:b:1:'])).toThrow(/invalid Maven coordinate/);
  });

  it('fetches afresh when only the transitive flag changes (it changes the pom)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'maven-spec-'));
    try {
      const mvn = fakeMvn(dir);
      await fetchMavenClasspath({ artifacts: ['a:b:1:test'], dir: join(dir, 'cache'), mvn });
      await fetchMavenClasspath({ artifacts: ['a:b:1:test'], dir: join(dir, 'cache'), mvn, transitive: false });
      await fetchMavenClasspath({ artifacts: ['a:b:1:test'], dir: join(dir, 'cache'), mvn, transitive: false });
      expect(calls(dir)).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
