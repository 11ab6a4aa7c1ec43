import fc from 'fast-check';
import { Readable } from 'node:stream';
import { ObjectStoreArgumentError } from './errors';
import { partsOf } from './body';

async function collect(parts: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const out: Buffer[] = [];
  for await (const part of parts) out.push(Buffer.from(part));
  return out;
}

describe('partsOf', () => {
  it('cuts any chunking into full parts plus a shorter last one, preserving every byte', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.uint8Array({ maxLength: 50 }), { maxLength: 20 }), fc.integer({ min: 1, max: 40 }), async (chunks, partSize) => {
        const parts = await collect(partsOf(chunks, partSize));
        const all = Buffer.concat(chunks.map((c) => Buffer.from(c)));
        expect(Buffer.concat(parts).equals(all)).toBe(true);
        expect(parts.length).toBe(Math.max(1, Math.ceil(all.length / partSize)));
        parts.slice(0, -1).forEach((part) => expect(part.length).toBe(partSize));
      }),
    );
  });

  it('yields one empty part for an empty body', async () => {
    expect((await collect(partsOf([], 4))).map((p) => p.length)).toEqual([0]);
  });

  it('reads Node streams and refuses string chunks and non-bodies', async () => {
    expect(Buffer.concat(await collect(partsOf(Readable.from([Buffer.from('ab'), Buffer.from('cd')]), 3))).toString()).toBe('abcd');
    await expect(collect(partsOf(Readable.from(['text']), 3))).rejects.toBeInstanceOf(ObjectStoreArgumentError);
    await expect(collect(partsOf(42 as never, 3))).rejects.toBeInstanceOf(ObjectStoreArgumentError);
  });
});
