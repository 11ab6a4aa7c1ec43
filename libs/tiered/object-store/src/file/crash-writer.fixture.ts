// Child process for the folder backend's kill -9 test: uploads deterministic 2 MiB objects as
// slow streams into the store at argv[2], printing "done <i>" once putIfAbsent of object i has
// returned. The parent kills it with SIGKILL at an arbitrary moment.
import { checksumOf } from '../checksum';
import { FileObjectStore } from './file-store';

export const CRASH_OBJECT_BYTES = 2 * 1024 * 1024;

export function crashObjectBody(index: number): Buffer {
  const body = Buffer.alloc(CRASH_OBJECT_BYTES);
  for (let i = 0; i < body.length; i += 4) body.writeUInt32BE((index * 2654435761 + i) >>> 0, i);
  return body;
}

async function* slowly(body: Buffer): AsyncIterable<Uint8Array> {
  for (let offset = 0; offset < body.length; offset += 64 * 1024) {
    yield body.subarray(offset, offset + 64 * 1024);
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function main(): Promise<void> {
  const store = await FileObjectStore.open(process.argv[2] as string);
  for (let i = 0; ; i++) {
    const body = crashObjectBody(i);
    await store.putIfAbsent(`segments/${i}`, slowly(body), { checksum: { expected: checksumOf('crc32c', body).value } });
    process.stdout.write(`done ${i}\n`);
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${String(err)}\n`);
    process.exit(1);
  });
}
