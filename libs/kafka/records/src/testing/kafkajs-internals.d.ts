// Types for the parts of kafkajs's internal record-batch codec our interop tests use. kafkajs ships no
// types for its protocol internals; these cover only what the tests call.
declare module 'kafkajs/src/protocol/encoder' {
  class Encoder {
    buffer: Buffer;
  }
  export = Encoder;
}

declare module 'kafkajs/src/protocol/decoder' {
  class Decoder {
    constructor(buffer: Buffer);
  }
  export = Decoder;
}

declare module 'kafkajs/src/protocol/recordBatch/v0' {
  import type Encoder from 'kafkajs/src/protocol/encoder';
  export function RecordBatch(options: {
    compression?: number;
    firstOffset?: string;
    firstTimestamp?: number;
    maxTimestamp?: number;
    partitionLeaderEpoch?: number;
    lastOffsetDelta?: number;
    transactional?: boolean;
    producerId?: string;
    producerEpoch?: number;
    firstSequence?: number;
    records: Encoder[];
  }): Promise<Encoder>;
}

declare module 'kafkajs/src/protocol/recordBatch/record/v0' {
  import type Encoder from 'kafkajs/src/protocol/encoder';
  function Record(options: {
    offsetDelta?: number;
    timestampDelta?: number;
    key: Buffer | string | null;
    value: Buffer | string | null;
    headers?: Record<string, Buffer | string>;
  }): Encoder;
  export = Record;
}

declare module 'kafkajs/src/protocol/recordBatch/v0/decoder' {
  import type Decoder from 'kafkajs/src/protocol/decoder';
  interface DecodedRecord {
    offset: string;
    timestamp: string;
    key: Buffer | null;
    value: Buffer | null;
    headers: Record<string, Buffer | Buffer[]>;
  }
  function decode(decoder: Decoder): Promise<{
    firstOffset: string;
    lastOffsetDelta: number;
    firstTimestamp: string;
    maxTimestamp: string;
    producerId: string;
    producerEpoch: number;
    firstSequence: number;
    inTransaction: boolean;
    isControlBatch: boolean;
    records: DecodedRecord[];
  }>;
  export = decode;
}

declare module 'kafkajs/src/protocol/message/compression' {
  export const Types: { None: 0; GZIP: 1; Snappy: 2; LZ4: 3; ZSTD: 4 };
  export const Codecs: Record<number, () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }>;
}

declare module 'kafkajs/src/protocol/recordBatch/crc32C' {
  function crc32C(buffer: Buffer): number;
  export = crc32C;
}
