import { fetchMavenClasspath } from '@stratus/kafka-reference';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientDriver, ClientIdentity, ScenarioTarget } from './driver';
import { runProcess } from './process';

export const JAVA_CLIENT_VERSION = '4.4.0';
const SOURCE_DIR = resolve(__dirname, '..', '..', 'java');

/** The Java reference client: kafka-clients from Maven Central, driven by java/GoldenCapture.java. */
export function javaDriver(version = JAVA_CLIENT_VERSION): ClientDriver {
  let classpath = '';
  return {
    client: 'java',
    async prepare(cacheDir: string): Promise<ClientIdentity> {
      const dir = join(cacheDir, 'java', version);
      const jars = await fetchMavenClasspath({ artifacts: [`org.apache.kafka:kafka-clients:${version}`], dir });
      const classes = join(dir, 'classes');
      mkdirSync(classes, { recursive: true });
      const cp = join(jars.libDir, '*');
      await runProcess('javac', ['-d', classes, '-cp', cp, join(SOURCE_DIR, 'GoldenCapture.java')], { timeoutMs: 120_000 });
      classpath = `${cp}:${classes}`;
      return { client: 'java', library: 'org.apache.kafka:kafka-clients', clientVersion: version };
    },
    async run(target: ScenarioTarget): Promise<void> {
      const output = await runProcess(
        'java',
        ['-cp', classpath, 'GoldenCapture', target.plaintext, target.sasl, target.user.name, target.user.password, target.topic, target.group],
        { timeoutMs: 180_000 },
      );
      if (!output.includes('GOLDEN-CAPTURE-DONE')) throw new Error(`java client did not finish the scenario:\n${output}`);
    },
  };
}
