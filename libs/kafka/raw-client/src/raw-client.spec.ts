import { API_REGISTRY, requestHeaderVersionFor, responseHeaderVersionFor } from '@stratus/kafka-messages';
import { Reader, Writer, decodeRequestHeader, sizeOfResponseHeader, writeResponseHeader } from '@stratus/kafka-protocol';
import { decodeResponseFrame, encodeRequestFrame } from './raw-client';

describe('encodeRequestFrame', () => {
  it('writes a size prefix, the header of the version and the body', () => {
    const frame = encodeRequestFrame({ apiKey: 17, apiVersion: 1, correlationId: 42, clientId: 'raw', body: { mechanism: 'PLAIN' } });
    expect(frame.readInt32BE(0)).toBe(frame.length - 4);
    const r = new Reader(frame.subarray(4));
    const headerVersion = requestHeaderVersionFor(17, 1);
    if (headerVersion === undefined) throw new Error('SaslHandshake v1 has a header version');
    expect(decodeRequestHeader(r, headerVersion)).toMatchObject({ apiKey: 17, apiVersion: 1, correlationId: 42, clientId: 'raw' });
    expect(API_REGISTRY.get(17)?.request.decode(r, 1)).toEqual({ mechanism: 'PLAIN' });
  });

  it('refuses an unknown api key', () => {
    expect(() => encodeRequestFrame({ apiKey: 9999, apiVersion: 0, correlationId: 1, clientId: null, body: {} })).toThrow('unknown api 9999');
  });
});

describe('decodeResponseFrame', () => {
  it('reads the correlation id and the body of a response frame', () => {
    const codec = API_REGISTRY.get(17);
    const headerVersion = responseHeaderVersionFor(17, 1);
    if (!codec || headerVersion === undefined) throw new Error('SaslHandshake v1 is known');
    const body = { errorCode: 0, mechanisms: ['PLAIN', 'SCRAM-SHA-256'] };
    const w = Writer.alloc(sizeOfResponseHeader({ correlationId: 7 }, headerVersion) + codec.response.sizeOf(body, 1));
    writeResponseHeader(w, { correlationId: 7 }, headerVersion);
    codec.response.write(w, body, 1);
    expect(decodeResponseFrame(w.finish(), 17, 1)).toEqual({ correlationId: 7, body });
  });
});
