import type { RecordedFrame } from './proxy';
import { selectFixtures } from './select';

let sequence = 0;
function recorded(apiKey: number, apiVersion: number, clientId: string, payload: string): RecordedFrame {
  const correlationId = ++sequence;
  const head = Buffer.alloc(8);
  head.writeInt16BE(apiKey, 0);
  head.writeInt16BE(apiVersion, 2);
  head.writeInt32BE(correlationId, 4);
  return { apiKey, apiVersion, correlationId, clientId, listener: 'plaintext', connection: 1, bytes: Buffer.concat([head, Buffer.from(payload)]) };
}

const options = { client: 'c', clientVersion: '1.0', perClientId: 2, perVersion: 4, maxFrameBytes: 100 };

describe('selectFixtures', () => {
  it('keeps one frame of every client.id before a second one of any', () => {
    const frames = [
      recorded(0, 9, 'produce-none', 'a'),
      recorded(0, 9, 'produce-none', 'b'),
      recorded(0, 9, 'produce-none', 'c'),
      recorded(0, 9, 'produce-gzip', 'd'),
      recorded(0, 9, 'produce-zstd', 'e'),
    ];
    const chosen = selectFixtures(frames, options).map((s) => s.entry.clientId);
    expect(chosen).toEqual(['produce-none', 'produce-none', 'produce-gzip', 'produce-zstd']);
  });

  it('drops frames that differ only by correlation id, and frames over the size limit', () => {
    const frames = [recorded(3, 12, 'x', 'same'), recorded(3, 12, 'y', 'same'), recorded(3, 12, 'z', 'x'.repeat(200))];
    const chosen = selectFixtures(frames, options);
    expect(chosen).toHaveLength(1);
    expect(chosen[0].entry).toMatchObject({ apiName: 'Metadata', apiVersion: 12, clientId: 'x', file: 'c/Metadata-v12-1.bin' });
  });

  it('numbers files per api and version and records what the index needs', () => {
    const frames = [recorded(18, 3, 'a', '1'), recorded(0, 9, 'a', '2'), recorded(18, 3, 'b', '3'), recorded(18, 4, 'a', '4')];
    const entries = selectFixtures(frames, options).map((s) => s.entry);
    expect(entries.map((e) => e.file)).toEqual(['c/Produce-v9-1.bin', 'c/ApiVersions-v3-1.bin', 'c/ApiVersions-v3-2.bin', 'c/ApiVersions-v4-1.bin']);
    expect(entries[0]).toMatchObject({ client: 'c', clientVersion: '1.0', apiKey: 0, correlationId: frames[1].correlationId, size: frames[1].bytes.length });
  });
});
