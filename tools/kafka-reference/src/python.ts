// The Python environment of the real-client tests: one venv in the shared cache with the Python Kafka
// clients from PyPI. confluent-kafka's wheels bundle librdkafka, so it is also how the tests get a
// current librdkafka; kafka-python needs the codec packages for snappy/lz4/zstd.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { defaultCacheRoot } from './distribution';

const run = promisify(execFile);

export const PYTHON_CLIENT_PACKAGES: readonly string[] = ['confluent-kafka', 'kafka-python', 'python-snappy', 'lz4', 'zstandard'];

/** Creates (once) the venv and installs the client packages into it; resolves with its python executable. */
export async function pythonVenv(): Promise<string> {
  // The directory keeps the name the compatibility suite gave it, so existing caches stay valid.
  const venv = join(defaultCacheRoot(), 'compat-venv');
  const python = join(venv, 'bin', 'python');
  if (!existsSync(python)) await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
  await run(join(venv, 'bin', 'pip'), ['install', '--quiet', ...PYTHON_CLIENT_PACKAGES], { timeout: 600_000 });
  return python;
}
