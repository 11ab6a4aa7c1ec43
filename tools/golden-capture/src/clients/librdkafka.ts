import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ClientDriver, ClientIdentity, ScenarioTarget } from './driver';
import { runProcess } from './process';

const SCRIPT = resolve(__dirname, '..', '..', 'python', 'golden_capture.py');

/**
 * librdkafka, through confluent-kafka for Python: its wheels bundle librdkafka, so one pip install
 * into a private virtualenv gives a known librdkafka version with every codec and SASL mechanism.
 */
export function librdkafkaDriver(): ClientDriver {
  let python = '';
  return {
    client: 'librdkafka',
    async prepare(cacheDir: string): Promise<ClientIdentity> {
      const venv = join(cacheDir, 'venv');
      python = join(venv, 'bin', 'python');
      if (!existsSync(python)) await runProcess('python3', ['-m', 'venv', venv], { timeoutMs: 120_000 });
      await runProcess(python, ['-m', 'pip', 'install', '-q', 'confluent-kafka'], { timeoutMs: 300_000 });
      const versions = await runProcess(python, ['-c', 'import confluent_kafka as c, importlib.metadata as m; print(c.libversion()[0], m.version("confluent-kafka"))'], { timeoutMs: 30_000 });
      const [librdkafka, wrapper] = versions.trim().split(/\s+/);
      return { client: 'librdkafka', library: `librdkafka (confluent-kafka-python ${wrapper})`, clientVersion: librdkafka };
    },
    async run(target: ScenarioTarget): Promise<void> {
      const output = await runProcess(python, [SCRIPT, target.plaintext, target.sasl, target.user.name, target.user.password, target.topic, target.group], {
        timeoutMs: 180_000,
      });
      if (!output.includes('GOLDEN-CAPTURE-DONE')) throw new Error(`librdkafka client did not finish the scenario:\n${output}`);
    },
  };
}
