import {
  decodeRequestHeader,
  decodeResponseHeader,
  requestHeaderVersion,
  responseHeaderVersion,
  sizeOfRequestHeader,
  sizeOfResponseHeader,
  writeRequestHeader,
  writeResponseHeader,
  type RequestHeader,
  type RequestHeaderVersion,
} from './headers';
import { Reader } from './reader';
import { Writer } from './writer';

describe('request header', () => {
  it.each([0, 1, 2] as RequestHeaderVersion[])('round-trips v%i with the computed size', (version) => {
    const header: RequestHeader = { apiKey: 3, apiVersion: 12, correlationId: 42, clientId: version >= 1 ? 'app-1' : null };
    if (version === 2) header._unknownTaggedFields = [{ tag: 7, data: Buffer.from([1, 2, 3]) }];
    const w = Writer.alloc(sizeOfRequestHeader(header, version));
    writeRequestHeader(w, header, version);
    const r = new Reader(w.finish());
    expect(decodeRequestHeader(r, version)).toEqual(header);
    r.expectEnd();
  });

  it('matches the bytes a Kafka client sends for header v2', () => {
    const bytes = Buffer.from([0, 18, 0, 3, 0, 0, 0, 1, 0, 2, 0x61, 0x62, 0]);
    expect(decodeRequestHeader(new Reader(bytes), 2)).toEqual({ apiKey: 18, apiVersion: 3, correlationId: 1, clientId: 'ab' });
  });

  it('chooses header versions by flexibility, with ControlledShutdown v0 on v0', () => {
    expect(requestHeaderVersion({ apiKey: 0, apiVersion: 9, flexible: true })).toBe(2);
    expect(requestHeaderVersion({ apiKey: 0, apiVersion: 8, flexible: false })).toBe(1);
    expect(requestHeaderVersion({ apiKey: 7, apiVersion: 0, flexible: false })).toBe(0);
  });
});

describe('response header', () => {
  it('round-trips v0 and v1', () => {
    for (const version of [0, 1] as const) {
      const header = { correlationId: -5 };
      const w = Writer.alloc(sizeOfResponseHeader(header, version));
      writeResponseHeader(w, header, version);
      expect(w.buf.length).toBe(version === 0 ? 4 : 5);
      expect(decodeResponseHeader(new Reader(w.finish()), version)).toEqual(header);
    }
  });

  it('always uses v0 for ApiVersions responses (KIP-511)', () => {
    expect(responseHeaderVersion({ apiKey: 18, flexible: true })).toBe(0);
    expect(responseHeaderVersion({ apiKey: 3, flexible: true })).toBe(1);
    expect(responseHeaderVersion({ apiKey: 3, flexible: false })).toBe(0);
  });
});
