// `npx nx run golden-capture:capture [-- --clients java,kafkajs]`: regenerates the golden request
// frames under libs/kafka/messages/src/__fixtures__/golden. Needs Java 17 + Maven, Python 3 and
// network access to Maven Central and PyPI, so CI does not run it; the fixtures are committed.
import { resolve } from 'node:path';
import { capture } from './capture';
import type { ClientDriver } from './clients/driver';
import { javaDriver } from './clients/java';
import { kafkajsDriver } from './clients/kafkajs';
import { librdkafkaDriver } from './clients/librdkafka';
import { platformaticDriver } from './clients/platformatic';

const DRIVERS: Record<string, () => ClientDriver> = {
  java: () => javaDriver(),
  librdkafka: () => librdkafkaDriver(),
  kafkajs: () => kafkajsDriver(),
  platformatic: () => platformaticDriver(),
};

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const at = args.indexOf('--clients');
  const names = at >= 0 ? (args[at + 1] ?? '').split(',').filter(Boolean) : Object.keys(DRIVERS);
  const unknown = names.filter((name) => !(name in DRIVERS));
  if (unknown.length > 0) {
    console.error(`unknown client(s): ${unknown.join(', ')}; known: ${Object.keys(DRIVERS).join(', ')}`);
    return 2;
  }
  const outDir = resolve(process.cwd(), 'libs/kafka/messages/src/__fixtures__/golden');
  const report = await capture({ drivers: names.map((name) => DRIVERS[name]()), outDir });
  for (const c of report.captured) console.log(`${c.client}: ${c.files} fixtures, ${c.bytes} bytes${c.missing.length ? `, missing ${c.missing.join(', ')}` : ''}`);
  for (const f of report.failed) console.error(`${f.client}: FAILED`);
  return report.failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
