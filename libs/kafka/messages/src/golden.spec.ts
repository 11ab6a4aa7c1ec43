// Golden-bytes tests (issue 3): request frames recorded from real clients — Java kafka-clients,
// librdkafka, kafkajs and @platformatic/kafka — talking to Apache Kafka 4.4.0 (tools/golden-capture,
// docs/golden-fixtures.md). Each frame must decode with the generated codecs and re-encode to the
// exact same bytes: a real client's choices (field order, compact vs classic encodings, tagged
// fields, nullable markers) are what the broker must accept and what our own encoder must produce.
import {
  Reader,
  Writer,
  decodeRequestHeader,
  requestHeaderVersion,
  sizeOfRequestHeader,
  writeRequestHeader,
} from '@stratus/kafka-protocol';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { API_REGISTRY, API_TABLE } from './generated';

interface GoldenEntry {
  client: string;
  clientVersion: string;
  apiKey: number;
  apiName: string;
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  listener: string;
  file: string;
  size: number;
}

interface GoldenIndex {
  format: string;
  capturedWith: { kafka: string; clients: { client: string; library: string; clientVersion: string }[] };
  fixtures: GoldenEntry[];
}

const ROOT = join(__dirname, '__fixtures__', 'golden');
const index = JSON.parse(readFileSync(join(ROOT, 'index.json'), 'utf8')) as GoldenIndex;

/** What issue 3 requires golden frames for, from every client. */
const REQUIRED_APIS = [
  'ApiVersions', 'Metadata', 'Produce', 'Fetch', 'ListOffsets', 'FindCoordinator', 'JoinGroup', 'SyncGroup', 'Heartbeat',
  'OffsetCommit', 'OffsetFetch', 'SaslHandshake', 'SaslAuthenticate', 'InitProducerId', 'CreateTopics',
];
const CLIENTS = ['java', 'librdkafka', 'kafkajs', 'platformatic'];

function load(entry: GoldenEntry): Buffer {
  return readFileSync(join(ROOT, entry.file));
}

describe('golden fixture set', () => {
  it('covers every required API for every client', () => {
    for (const client of CLIENTS) {
      const apis = new Set(index.fixtures.filter((f) => f.client === client).map((f) => f.apiName));
      expect({ client, missing: REQUIRED_APIS.filter((api) => !apis.has(api)) }).toEqual({ client, missing: [] });
    }
  });

  it('has exactly the files the index lists, of the listed sizes, under 2 MB in total', () => {
    const onDisk = readdirSync(ROOT, { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .flatMap((d) => readdirSync(join(ROOT, d.name)).map((file) => `${d.name}/${file}`))
      .sort();
    expect(onDisk).toEqual(index.fixtures.map((f) => f.file).sort());
    let total = 0;
    for (const entry of index.fixtures) {
      const size = statSync(join(ROOT, entry.file)).size;
      expect({ file: entry.file, size }).toEqual({ file: entry.file, size: entry.size });
      total += size;
    }
    expect(total).toBeLessThan(2 * 1024 * 1024);
  });

  it('records the version of every captured client', () => {
    expect(index.capturedWith.clients.map((c) => c.client).sort()).toEqual([...CLIENTS].sort());
    for (const c of index.capturedWith.clients) expect(c.clientVersion).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe.each(CLIENTS)('golden request frames from %s', (client) => {
  const entries = index.fixtures.filter((f) => f.client === client);

  it.each(entries.map((e) => [e.file, e] as const))('%s decodes and re-encodes byte for byte', (_file, entry) => {
    const frame = load(entry);
    const api = API_TABLE.find((a) => a.apiKey === entry.apiKey);
    const codec = API_REGISTRY.get(entry.apiKey)?.request;
    if (api === undefined || codec === undefined) throw new Error(`no codec for api key ${entry.apiKey} (${entry.apiName})`);
    expect(api.name).toBe(entry.apiName);

    const flexible = api.flexibleMinVersion !== null && entry.apiVersion >= api.flexibleMinVersion;
    const headerVersion = requestHeaderVersion({ apiKey: entry.apiKey, apiVersion: entry.apiVersion, flexible });
    const reader = new Reader(frame);
    const header = decodeRequestHeader(reader, headerVersion);
    expect(header).toMatchObject({
      apiKey: entry.apiKey,
      apiVersion: entry.apiVersion,
      correlationId: entry.correlationId,
      clientId: entry.clientId,
    });
    const bodyStart = reader.offset;
    const body = codec.decode(reader, entry.apiVersion);
    reader.expectEnd();

    // Body alone, through the codec's own size-then-fill encode.
    expect(codec.encode(body, entry.apiVersion).toString('hex')).toBe(frame.subarray(bodyStart).toString('hex'));
    // Whole frame: header + body written into one exactly sized buffer.
    const writer = Writer.alloc(sizeOfRequestHeader(header, headerVersion) + codec.sizeOf(body, entry.apiVersion));
    writeRequestHeader(writer, header, headerVersion);
    codec.write(writer, body, entry.apiVersion);
    expect(writer.finish().toString('hex')).toBe(frame.toString('hex'));
  });
});
