// Truncated, oversized, mutated and random frames: decoders only ever succeed or throw
// ProtocolDecodeError, and terminate (every length is checked against the bytes that remain).
import fc from 'fast-check';
import { ProtocolDecodeError, Reader, Writer } from '@stratus/kafka-protocol';
import { decodeFetchRequest, decodeProduceRequest, encodeFetchRequest, encodeProduceRequest, type FetchRequest } from './index';
import { messageArbitrary } from './testing/arbitraries';
import { allCodecs, allVersions } from './testing/codecs';
import { checkAccepted, decodeOutcome, mutate, prng } from './testing/robustness';

const cases = allVersions(allCodecs()).map(([codec, version]) => [codec.name, version, codec] as const);

describe('decoders on malformed frames', () => {
  it.each(cases)('%s v%i', (_name, version, codec) => {
    const samples = fc.sample(messageArbitrary(codec.schema, version), { numRuns: 3, seed: version * 7919 + codec.name.length });
    const random = prng(codec.name.length * 1000 + version + 1);
    for (const message of samples) {
      const frame = codec.encode(message, version);
      // Every strict prefix is incomplete.
      for (let len = 0; len < frame.length; len += Math.max(1, Math.floor(frame.length / 24))) {
        const outcome = decodeOutcome(codec, frame.subarray(0, len), version);
        expect(outcome.ok).toBe(false);
        if (!outcome.ok) expect(['truncated', 'invalid_length']).toContain(outcome.error.kind);
      }
      // Extra bytes after a whole message are rejected, not ignored.
      const oversized = decodeOutcome(codec, Buffer.concat([frame, Buffer.from([0, 1, 2])]), version);
      expect(oversized.ok ? 'accepted' : oversized.error.kind).toBe('trailing_bytes');
      for (let i = 0; i < 12; i++) checkAccepted(codec, decodeOutcome(codec, mutate(frame, random), version), version);
    }
    for (let i = 0; i < 8; i++) {
      const noise = Buffer.alloc(Math.floor(random() * 64));
      for (let j = 0; j < noise.length; j++) noise[j] = Math.floor(random() * 256);
      checkAccepted(codec, decodeOutcome(codec, noise, version), version);
    }
  });

  it('rejects a declared array count beyond the frame before allocating', () => {
    // Produce v3: null transactional id, acks, timeout, then 2^31-1 topics in a 14-byte frame.
    const frame = Buffer.from('ffff ffff 000003e8 7fffffff'.replace(/ /g, ''), 'hex');
    expect(() => decodeProduceRequest(frame, 3)).toThrow(expect.objectContaining({ kind: 'invalid_length' }));
  });

  it('rejects unsupported versions with a typed error', () => {
    expect(() => decodeFetchRequest(Buffer.alloc(0), 99)).toThrow(ProtocolDecodeError);
    expect(() => decodeFetchRequest(Buffer.alloc(0), 99)).toThrow(expect.objectContaining({ kind: 'unsupported_version' }));
  });

  it('keeps a tag sent at a version before its field exists as an unknown tag, so the message re-encodes the same (KIP-482)', () => {
    // HighWatermark is FetchRequest's partition tag 1 from v18 on. At v14 tag 1 means nothing: it
    // must not fill highWatermark, or re-encoding at v14 would drop it (found by the decoder fuzzer,
    // seed 759855293).
    const tag1 = Buffer.alloc(8);
    tag1.writeBigInt64BE(42n);
    const partition = { partition: 0, currentLeaderEpoch: -1, fetchOffset: 0n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1024, _unknownTaggedFields: [{ tag: 1, data: tag1 }] };
    const message: FetchRequest = {
      clusterId: null, replicaId: -1, maxWaitMs: 0, minBytes: 1, maxBytes: 1024, isolationLevel: 0, sessionId: 0, sessionEpoch: -1,
      topics: [{ topicId: '00000000-0000-0000-0000-000000000001', partitions: [partition] }], forgottenTopicsData: [], rackId: '',
    };
    const v14 = encodeFetchRequest(message, 14);
    const decoded = decodeFetchRequest(v14, 14);
    const read = decoded.topics[0]?.partitions[0];
    expect(read?.highWatermark).toBe(9223372036854775807n);
    expect(read?._unknownTaggedFields).toEqual([{ tag: 1, data: tag1 }]);
    expect(encodeFetchRequest(decoded, 14).equals(v14)).toBe(true);
    // From v18 the same bytes are the field.
    expect(decodeFetchRequest(encodeFetchRequest(message, 18), 18).topics[0]?.partitions[0]?.highWatermark).toBe(42n);
  });

  it('leaves a Reader positioned after the message so a caller can read what follows', () => {
    const message = { transactionalId: null, acks: 1, timeoutMs: 5, topicData: [] };
    const body = encodeProduceRequest(message, 9);
    const w = Writer.alloc(body.length + 4);
    w.writeRaw(body);
    w.writeInt32(0x5eed);
    const r = new Reader(w.finish());
    expect(decodeProduceRequest(r, 9)).toEqual(message);
    expect(r.readInt32()).toBe(0x5eed);
  });
});
