// The chunked writer must produce exactly the bytes @bufbuild/protobuf's BinaryWriter produces
// (the reference every other protobuf implementation agrees with), for every method and for
// nested messages, and real contracts must round-trip through it.
import fc from 'fast-check';
import { BinaryWriter as ReferenceWriter } from '@bufbuild/protobuf/wire';
import { brokerV1, replicationV1 } from '../generated';
import { BinaryWriter } from './chunked-writer';

type Op =
  | { kind: 'uint32'; value: number }
  | { kind: 'int32'; value: number }
  | { kind: 'sint32'; value: number }
  | { kind: 'fixed32'; value: number }
  | { kind: 'sfixed32'; value: number }
  | { kind: 'int64' | 'sint64' | 'sfixed64'; value: bigint }
  | { kind: 'uint64' | 'fixed64'; value: bigint }
  | { kind: 'bool'; value: boolean }
  | { kind: 'string'; value: string }
  | { kind: 'bytes' | 'raw'; value: Uint8Array }
  | { kind: 'double'; value: number }
  | { kind: 'float'; value: number }
  | { kind: 'tag'; field: number; type: number }
  | { kind: 'nested'; ops: Op[] };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

const leafOp: fc.Arbitrary<Op> = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ kind: 'uint32' as const, value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value) => ({ kind: 'int32' as const, value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value) => ({ kind: 'sint32' as const, value })),
  fc.integer({ min: 0, max: 0xffffffff }).map((value) => ({ kind: 'fixed32' as const, value })),
  fc.integer({ min: -0x80000000, max: 0x7fffffff }).map((value) => ({ kind: 'sfixed32' as const, value })),
  fc
    .tuple(fc.constantFrom('int64' as const, 'sint64' as const, 'sfixed64' as const), fc.bigInt({ min: INT64_MIN, max: INT64_MAX }))
    .map(([kind, value]) => ({ kind, value })),
  fc.tuple(fc.constantFrom('uint64' as const, 'fixed64' as const), fc.bigInt({ min: 0n, max: UINT64_MAX })).map(([kind, value]) => ({ kind, value })),
  fc.boolean().map((value) => ({ kind: 'bool' as const, value })),
  fc.oneof(fc.string(), fc.string({ unit: 'binary', maxLength: 700 }), fc.string({ minLength: 500, maxLength: 2000 })).map((value) => ({ kind: 'string' as const, value })),
  fc
    .tuple(fc.constantFrom('bytes' as const, 'raw' as const), fc.oneof(fc.uint8Array({ maxLength: 64 }), fc.uint8Array({ minLength: 400, maxLength: 5000 })))
    .map(([kind, value]) => ({ kind, value })),
  fc.double().map((value) => ({ kind: 'double' as const, value })),
  fc.float().map((value) => ({ kind: 'float' as const, value })),
  fc.tuple(fc.integer({ min: 1, max: 536870911 }), fc.integer({ min: 0, max: 5 })).map(([field, type]) => ({ kind: 'tag' as const, field, type })),
);

const ops: fc.Arbitrary<Op[]> = fc.letrec<{ list: Op[]; op: Op }>((tie) => ({
  op: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafOp, tie('list').map((list) => ({ kind: 'nested' as const, ops: list }))),
  list: fc.array(tie('op'), { maxLength: 12 }),
})).list;

/** The method set both writers share, so one replay drives either. */
interface WriterLike {
  uint32(v: number): unknown;
  int32(v: number): unknown;
  sint32(v: number): unknown;
  fixed32(v: number): unknown;
  sfixed32(v: number): unknown;
  int64(v: bigint): unknown;
  sint64(v: bigint): unknown;
  sfixed64(v: bigint): unknown;
  uint64(v: bigint): unknown;
  fixed64(v: bigint): unknown;
  bool(v: boolean): unknown;
  string(v: string): unknown;
  bytes(v: Uint8Array): unknown;
  raw(v: Uint8Array): unknown;
  double(v: number): unknown;
  float(v: number): unknown;
  tag(field: number, type: number): unknown;
  fork(): unknown;
  join(): unknown;
  finish(): Uint8Array;
}

function replay(writer: WriterLike, list: readonly Op[]): void {
  for (const op of list) {
    switch (op.kind) {
      case 'tag':
        writer.tag(op.field, op.type);
        break;
      case 'nested':
        writer.uint32(10);
        writer.fork();
        replay(writer, op.ops);
        writer.join();
        break;
      default:
        (writer[op.kind] as (value: unknown) => unknown).call(writer, op.value);
    }
  }
}

function encodeBoth(list: readonly Op[]): { ours: Buffer; reference: Buffer } {
  const ours = new BinaryWriter();
  replay(ours, list);
  const reference = new ReferenceWriter();
  replay(reference, list);
  return { ours: ours.finish(), reference: Buffer.from(reference.finish()) };
}

describe('chunked BinaryWriter', () => {
  it('writes the same bytes as the reference writer for any sequence of fields and nested messages', () => {
    fc.assert(
      fc.property(ops, (list) => {
        const { ours, reference } = encodeBoth(list);
        expect(ours.equals(reference)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('returns a Buffer of the exact length', () => {
    const writer = new BinaryWriter();
    writer.uint32(18).bytes(Buffer.alloc(10_000, 7));
    const out = writer.finish();
    expect(Buffer.isBuffer(out)).toBe(true);
    expect(out.length).toBe(1 + 2 + 10_000);
  });

  it('writes length prefixes that need several bytes for deeply nested large payloads', () => {
    const payload = Buffer.alloc(300_000, 1);
    const list: Op[] = [{ kind: 'nested', ops: [{ kind: 'nested', ops: [{ kind: 'bytes', value: payload }, { kind: 'uint32', value: 5 }] }] }];
    const { ours, reference } = encodeBoth(list);
    expect(ours.equals(reference)).toBe(true);
  });

  it('can be reused after finish without changing what it returned before', () => {
    const writer = new BinaryWriter();
    writer.uint32(8).uint32(150).string('first');
    const first = writer.finish();
    const firstCopy = Buffer.from(first);
    writer.uint32(8).uint32(300).string('second, longer than the first');
    const second = writer.finish();
    expect(first.equals(firstCopy)).toBe(true);
    const reference = new ReferenceWriter();
    reference.uint32(8).uint32(300).string('second, longer than the first');
    expect(second.equals(Buffer.from(reference.finish()))).toBe(true);
  });

  it.each([
    ['uint32', -1],
    ['uint32', 2 ** 32],
    ['uint32', 1.5],
    ['int32', 2 ** 31],
    ['sfixed32', -(2 ** 31) - 1],
  ] as const)('refuses %s(%p) like the reference writer', (method, value) => {
    expect(() => new ReferenceWriter()[method](value)).toThrow();
    expect(() => new BinaryWriter()[method](value)).toThrow();
  });

  it('refuses 64-bit values out of range', () => {
    expect(() => new BinaryWriter().int64(INT64_MAX + 1n)).toThrow();
    expect(() => new BinaryWriter().uint64(-1n)).toThrow();
  });

  it('refuses join without fork', () => {
    expect(() => new BinaryWriter().join()).toThrow(/fork stack empty/);
  });
});

describe('generated contracts on the chunked writer', () => {
  const records = fc.oneof(fc.uint8Array({ maxLength: 100 }), fc.uint8Array({ minLength: 600, maxLength: 20_000 })).map((bytes) => Buffer.from(bytes));

  interface ProduceInput {
    readonly acks: number;
    readonly transactionalId: string;
    readonly correlationId: bigint;
    readonly partitions: readonly { readonly topicId: Uint8Array; readonly partition: number; readonly records: Buffer }[];
  }

  const produceRequest: fc.Arbitrary<ProduceInput> = fc.record({
    acks: fc.constantFrom(-1, 0, 1),
    transactionalId: fc.string(),
    correlationId: fc.bigInt({ min: 0n, max: 2n ** 40n }),
    partitions: fc.array(
      fc.record({ topicId: fc.uint8Array({ minLength: 16, maxLength: 16 }), partition: fc.integer({ min: 0, max: 10_000 }), records }),
      { maxLength: 8 },
    ),
  });

  function toMessage(input: ProduceInput): brokerV1.ProduceRequest {
    return brokerV1.ProduceRequest.fromPartial({
      header: { correlationId: input.correlationId, tenantId: { value: 'tenant-a' }, clientId: 'client', timeoutMs: 30_000 },
      acks: input.acks,
      transactionalId: input.transactionalId,
      partitions: input.partitions.map((p) => ({
        partition: { topicId: { value: Buffer.from(p.topicId) }, partition: p.partition },
        records: p.records,
      })),
    });
  }

  it('encodes a Produce request to the reference bytes and decodes it back', () => {
    fc.assert(
      fc.property(produceRequest, (input) => {
        const message = toMessage(input);
        const ours = brokerV1.ProduceRequest.encode(message).finish();
        const reference = brokerV1.ProduceRequest.encode(message, new ReferenceWriter() as unknown as BinaryWriter).finish();
        expect(Buffer.from(ours).equals(Buffer.from(reference))).toBe(true);
        expect(brokerV1.ProduceRequest.decode(ours)).toEqual(message);
      }),
      { numRuns: 150 },
    );
  });

  it('decodes bytes fields as views of the message buffer, not copies', () => {
    const records = Buffer.alloc(4096, 9);
    const wire = brokerV1.ProduceRequest.encode(
      brokerV1.ProduceRequest.fromPartial({ acks: -1, partitions: [{ partition: { partition: 3 }, records }] }),
    ).finish();
    const decoded = brokerV1.ProduceRequest.decode(wire);
    const decodedRecords = decoded.partitions[0]?.records;
    expect(Buffer.isBuffer(decodedRecords)).toBe(true);
    expect(decodedRecords?.equals(records)).toBe(true);
    expect(decodedRecords?.buffer).toBe(wire.buffer);
  });

  it('copies small bytes fields so a cached id does not keep its whole message alive', () => {
    const topicId = Buffer.alloc(16, 5);
    const wire = brokerV1.ProduceRequest.encode(
      brokerV1.ProduceRequest.fromPartial({ partitions: [{ partition: { topicId: { value: topicId } }, records: Buffer.alloc(64 * 1024) }] }),
    ).finish();
    const decoded = brokerV1.ProduceRequest.decode(wire).partitions[0]?.partition?.topicId?.value;
    expect(decoded?.equals(topicId)).toBe(true);
    expect(decoded?.buffer).not.toBe(wire.buffer);
  });

  it('serializes gRPC messages to Buffers through the service definitions', () => {
    const request = replicationV1.AppendRequest.fromPartial({ records: Buffer.alloc(2000, 3) });
    const definition = replicationV1.ReplicationServiceService.append;
    const bytes = definition.requestSerialize(request);
    expect(Buffer.isBuffer(bytes)).toBe(true);
    expect(definition.requestDeserialize(bytes)).toEqual(request);
  });
});
