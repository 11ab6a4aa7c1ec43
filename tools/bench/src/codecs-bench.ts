// Benchmark: decode + encode of a Produce request and a Fetch response, each with 16 partitions of
// 64 KiB record batches, with the generated Stratus codecs and, for comparison, the same message
// shape built and parsed with kafkajs's and @platformatic/kafka's protocol primitives (neither
// ships a request decoder or response encoder for these APIs, so the shape is written with their
// Encoder/Writer and Decoder/Reader directly). Record batches stay opaque bytes in every variant.
// Run: SWC_NODE_PROJECT=tsconfig.base.json node -r @swc-node/register tools/bench/src/codecs-bench.ts [--quick]
// Prints one JSON BenchResult per scenario on stdout.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import {
  decodeFetchResponse,
  decodeProduceRequest,
  encodeFetchResponse,
  encodeProduceRequest,
  type FetchResponse,
  type ProduceRequest,
} from '@stratus/kafka-messages';
import { medianRatesInRounds, type RoundsOptions } from './measure';
import { formatResult, machineInfo, type BenchResult } from './result';

const load = createRequire(__filename);
const PARTITIONS = 16;
const BATCH_BYTES = 64 * 1024;

/* Minimal structural types of the third-party primitives used here. */
interface KjsEncoder {
  writeInt16(v: number): KjsEncoder;
  writeInt32(v: number): KjsEncoder;
  writeInt64(v: string): KjsEncoder;
  writeString(v: string | null): KjsEncoder;
  writeBytes(v: Buffer | null): KjsEncoder;
  writeArray(v: unknown[]): KjsEncoder;
  writeNullableArray(v: unknown[] | null): KjsEncoder;
  buffer: Buffer;
}
interface KjsDecoder {
  readInt16(): number;
  readInt32(): number;
  readInt64(): unknown;
  readString(): string | null;
  readBytes(): Buffer;
  readArray<T>(fn: (d: KjsDecoder) => T): T[];
}
const KjsEncoderClass = load('kafkajs/src/protocol/encoder') as new () => KjsEncoder;
const KjsDecoderClass = load('kafkajs/src/protocol/decoder') as new (b: Buffer) => KjsDecoder;

interface PlWriter {
  appendInt16(v: number): PlWriter;
  appendInt32(v: number): PlWriter;
  appendInt64(v: bigint): PlWriter;
  appendString(v: string | null, compact?: boolean): PlWriter;
  appendBytes(v: Buffer | null, compact?: boolean): PlWriter;
  appendArray<T>(v: T[] | null, fn: (w: PlWriter, e: T) => void, compact?: boolean, tagged?: boolean): PlWriter;
  appendTaggedFields(): PlWriter;
  buffer: Buffer;
}
interface PlReader {
  readInt16(): number;
  readInt32(): number;
  readInt64(): bigint;
  readNullableString(compact?: boolean): string | null;
  readString(compact?: boolean): string;
  readNullableBytes(compact?: boolean): Buffer | null;
  readArray<T>(fn: (r: PlReader) => T, compact?: boolean, discardTagged?: boolean): T[];
  readUnsignedVarInt(): number;
}
const platformatic = load('@platformatic/kafka') as { Writer: { create(): PlWriter }; Reader: { from(b: Buffer): PlReader } };

function produceRequest(): ProduceRequest {
  return {
    transactionalId: null,
    acks: -1,
    timeoutMs: 30000,
    topicData: [{ name: 'orders', partitionData: Array.from({ length: PARTITIONS }, (_, index) => ({ index, records: randomBytes(BATCH_BYTES) })) }],
  };
}

function fetchResponse(): FetchResponse {
  return {
    throttleTimeMs: 0,
    errorCode: 0,
    sessionId: 0,
    responses: [
      {
        topic: 'orders',
        partitions: Array.from({ length: PARTITIONS }, (_, partitionIndex) => ({
          partitionIndex,
          errorCode: 0,
          highWatermark: 1000n,
          lastStableOffset: 1000n,
          logStartOffset: 0n,
          abortedTransactions: [],
          preferredReadReplica: -1,
          records: randomBytes(BATCH_BYTES),
        })),
      },
    ],
  };
}

type Variant = { readonly name: string; readonly step: () => number };

function produceVariants(message: ProduceRequest): Variant[] {
  const topics = message.topicData;
  return [
    { name: 'stratus-v8', step: () => decodeProduceRequest(encodeProduceRequest(message, 8), 8).topicData.length },
    { name: 'stratus-v11-flexible', step: () => decodeProduceRequest(encodeProduceRequest(message, 11), 11).topicData.length },
    {
      name: 'kafkajs-v8-shape',
      step: () => {
        const e = new KjsEncoderClass()
          .writeString(null)
          .writeInt16(-1)
          .writeInt32(30000)
          .writeArray(
            topics.map((t) =>
              new KjsEncoderClass()
                .writeString(t.name ?? '')
                .writeArray(t.partitionData.map((p) => new KjsEncoderClass().writeInt32(p.index).writeBytes(p.records))),
            ),
          );
        const d = new KjsDecoderClass(e.buffer);
        d.readString();
        d.readInt16();
        d.readInt32();
        return d.readArray((t) => ({ name: t.readString(), partitions: t.readArray((p) => ({ index: p.readInt32(), records: p.readBytes() })) })).length;
      },
    },
    {
      name: 'platformatic-v11-shape',
      step: () => {
        const w = platformatic.Writer.create()
          .appendString(null, true)
          .appendInt16(-1)
          .appendInt32(30000)
          .appendArray(topics, (tw, t) =>
            tw.appendString(t.name ?? '', true).appendArray(t.partitionData, (pw, p) => pw.appendInt32(p.index).appendBytes(p.records, true), true, true),
          )
          .appendTaggedFields();
        const r = platformatic.Reader.from(w.buffer);
        r.readNullableString(true);
        r.readInt16();
        r.readInt32();
        return r.readArray((t) => ({ name: t.readString(true), partitions: t.readArray((p) => ({ index: p.readInt32(), records: p.readNullableBytes(true) }), true, true) }), true, true).length;
      },
    },
  ];
}

function fetchVariants(message: FetchResponse): Variant[] {
  const partitions = message.responses[0]?.partitions ?? [];
  return [
    { name: 'stratus-v11', step: () => decodeFetchResponse(encodeFetchResponse(message, 11), 11).responses.length },
    { name: 'stratus-v12-flexible', step: () => decodeFetchResponse(encodeFetchResponse(message, 12), 12).responses.length },
    {
      name: 'kafkajs-v11-shape',
      step: () => {
        const partition = (p: (typeof partitions)[number]): KjsEncoder =>
          new KjsEncoderClass()
            .writeInt32(p.partitionIndex)
            .writeInt16(p.errorCode)
            .writeInt64(String(p.highWatermark))
            .writeInt64(String(p.lastStableOffset))
            .writeInt64(String(p.logStartOffset ?? 0n))
            .writeNullableArray([])
            .writeInt32(-1)
            .writeBytes(p.records);
        const e = new KjsEncoderClass()
          .writeInt32(0)
          .writeInt16(0)
          .writeInt32(0)
          .writeArray([new KjsEncoderClass().writeString('orders').writeArray(partitions.map(partition))]);
        const d = new KjsDecoderClass(e.buffer);
        d.readInt32();
        d.readInt16();
        d.readInt32();
        return d.readArray((t) => ({
          topic: t.readString(),
          partitions: t.readArray((p) => ({
            partition: p.readInt32(),
            errorCode: p.readInt16(),
            highWatermark: p.readInt64(),
            lastStableOffset: p.readInt64(),
            logStartOffset: p.readInt64(),
            aborted: p.readArray((a) => a.readInt64()),
            preferredReadReplica: p.readInt32(),
            records: p.readBytes(),
          })),
        })).length;
      },
    },
    {
      name: 'platformatic-v12-shape',
      step: () => {
        const w = platformatic.Writer.create()
          .appendInt32(0)
          .appendInt16(0)
          .appendInt32(0)
          .appendArray(
            [partitions],
            (tw, ps) =>
              tw.appendString('orders', true).appendArray(
                ps,
                (pw, p) =>
                  pw
                    .appendInt32(p.partitionIndex)
                    .appendInt16(p.errorCode)
                    .appendInt64(p.highWatermark)
                    .appendInt64(p.lastStableOffset)
                    .appendInt64(p.logStartOffset ?? 0n)
                    .appendArray([], () => undefined, true, true)
                    .appendInt32(-1)
                    .appendBytes(p.records, true),
                true,
                true,
              ),
            true,
            true,
          )
          .appendTaggedFields();
        const r = platformatic.Reader.from(w.buffer);
        r.readInt32();
        r.readInt16();
        r.readInt32();
        return r.readArray(
          (t) => ({
            topic: t.readString(true),
            partitions: t.readArray(
              (p) => ({
                partition: p.readInt32(),
                errorCode: p.readInt16(),
                highWatermark: p.readInt64(),
                lastStableOffset: p.readInt64(),
                logStartOffset: p.readInt64(),
                aborted: p.readArray((a) => a.readInt64(), true, true),
                preferredReadReplica: p.readInt32(),
                records: p.readNullableBytes(true),
              }),
              true,
              true,
            ),
          }),
          true,
          true,
        ).length;
      },
    },
  ];
}

export function runCodecBench(options: RoundsOptions): BenchResult[] {
  const frameBytes = PARTITIONS * BATCH_BYTES;
  const scenarios: [string, Variant[]][] = [
    ['produce-request', produceVariants(produceRequest())],
    ['fetch-response', fetchVariants(fetchResponse())],
  ];
  return scenarios.map(([name, variants]) => {
    const rates = medianRatesInRounds(variants, options);
    const metrics: Record<string, number> = {};
    for (const [variant, opsPerSec] of rates) {
      metrics[`${variant}.opsPerSec`] = Math.round(opsPerSec);
      metrics[`${variant}.MBPerSec`] = Math.round((opsPerSec * frameBytes) / 1e6);
    }
    // The target: Stratus against the faster peer doing the same work. Only variants of
    // the same protocol version are compared (a flexible version costs more than a classic one),
    // and the headline is the worst of those ratios.
    const versionOf = (variant: string): string | undefined => /-v(\d+)/.exec(variant)?.[1];
    const ratios: number[] = [];
    for (const [variant, opsPerSec] of rates) {
      if (!variant.startsWith('stratus')) continue;
      const version = versionOf(variant);
      const peers = [...rates].filter(([n]) => !n.startsWith('stratus') && versionOf(n) === version).map(([, r]) => r);
      if (peers.length === 0) continue;
      const ratio = opsPerSec / Math.max(...peers);
      metrics[`v${version}.stratusToFastestPeer`] = Math.round(ratio * 100) / 100;
      ratios.push(ratio);
    }
    const ratio = Math.min(...ratios);
    metrics['stratusToFastestPeer'] = Math.round(ratio * 100) / 100;
    return {
      name: `codecs/${name}`,
      unit: 'decode+encode ops/s',
      metrics,
      params: {
        partitions: PARTITIONS,
        batchBytes: BATCH_BYTES,
        operation: 'encode then decode',
        method: `median of ${options.rounds} interleaved rounds of ${options.roundMs} ms per variant`,
      },
      target: { metric: 'stratusToFastestPeer', atLeast: 1.0, met: ratio >= 1.0 },
      machine: machineInfo(),
    };
  });
}

if (require.main === module) {
  const quick = process.argv.includes('--quick');
  const options = quick ? { rounds: 3, roundMs: 100, warmupMs: 100 } : { rounds: 15, roundMs: 400, warmupMs: 1000 };
  for (const result of runCodecBench(options)) console.log(formatResult(result));
}
