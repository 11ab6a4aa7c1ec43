// kafkajs driver. kafkajs ships only gzip; Snappy, LZ4 and ZStandard codecs are plugged in from the
// native libraries the workspace already has, as kafkajs' codec registry intends.
import { CompressionCodecs, CompressionTypes, Kafka, logLevel, type Consumer, type SASLOptions } from 'kafkajs';
import { compressSync as snappyCompress, uncompressSync as snappyUncompress } from 'snappy';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import { compress as zstdCompress, decompress as zstdDecompress, init as zstdInit } from '@bokuweb/zstd-wasm';
import type { Codec, ConsumedRecord, DriverRequest, DriverResult } from '../../src/protocol';
import { recordKey, recordValue, runDriver, until } from '../shared/io';

interface RawCodec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}
const codec = (compress: (b: Buffer) => Buffer, decompress: (b: Buffer) => Buffer): (() => RawCodec) => () => ({
  compress: async (encoder) => compress(encoder.buffer),
  decompress: async (buffer) => decompress(buffer),
});
const codecs = CompressionCodecs as unknown as Record<number, () => RawCodec>;
codecs[CompressionTypes.Snappy] = codec((b) => snappyCompress(b), (b) => Buffer.from(snappyUncompress(b) as Buffer));
codecs[CompressionTypes.LZ4] = codec((b) => compressFrameSync(b), (b) => decompressFrameSync(b));
codecs[CompressionTypes.ZSTD] = codec((b) => Buffer.from(zstdCompress(b, 3)), (b) => Buffer.from(zstdDecompress(b)));

const COMPRESSION: Record<Codec, CompressionTypes> = {
  none: CompressionTypes.None,
  gzip: CompressionTypes.GZIP,
  snappy: CompressionTypes.Snappy,
  lz4: CompressionTypes.LZ4,
  zstd: CompressionTypes.ZSTD,
};

function client(req: DriverRequest): Kafka {
  const mechanism = req.connection.mechanism === 'PLAIN' ? 'plain' : 'scram-sha-256';
  return new Kafka({
    clientId: 'compat-kafkajs',
    brokers: req.connection.bootstrap.split(','),
    sasl: { mechanism, username: req.connection.username, password: req.connection.password } as SASLOptions,
    logLevel: logLevel.NOTHING,
    connectionTimeout: 10_000,
    requestTimeout: 30_000,
    retry: { retries: 5 },
  });
}

async function consumeWith(consumers: Consumer[], topic: string, expect: number, timeoutMs: number, fromBeginning: boolean): Promise<ConsumedRecord[]> {
  const records: ConsumedRecord[] = [];
  await Promise.all(
    consumers.map(async (consumer, m) => {
      await consumer.connect();
      await consumer.subscribe({ topic, fromBeginning });
      await consumer.run({
        eachMessage: async ({ partition, message }) => {
          records.push({ p: partition, o: message.offset, k: message.key?.toString() ?? '', v: message.value?.toString() ?? '', m });
        },
      });
    }),
  );
  await until(() => records.length >= expect, timeoutMs, () => `consumed ${records.length} of ${expect}`);
  return records;
}

async function handle(req: DriverRequest): Promise<DriverResult> {
  const kafka = client(req);
  switch (req.op) {
    case 'create-topic': {
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ topics: [{ topic: req.topic, numPartitions: req.partitions }], waitForLeaders: true });
      const topics = await admin.listTopics();
      await admin.disconnect();
      return { ok: true, topics };
    }
    case 'produce': {
      await zstdInit();
      const producer = kafka.producer({ idempotent: req.idempotent, maxInFlightRequests: req.idempotent ? 1 : undefined });
      await producer.connect();
      const batch = 500;
      for (let start = 0; start < req.count; start += batch) {
        const messages = Array.from({ length: Math.min(batch, req.count - start) }, (_, j) => ({ key: recordKey(start + j), value: recordValue(req.codec, start + j) }));
        await producer.send({ topic: req.topic, compression: COMPRESSION[req.codec], acks: -1, messages });
      }
      await producer.disconnect();
      return { ok: true, produced: req.count };
    }
    case 'consume-assign': {
      // kafkajs has no assign(): every consumer is a group member. The closest is a one-member
      // group of its own, which still needs FindCoordinator and the group APIs.
      await zstdInit();
      const consumer = kafka.consumer({ groupId: `${req.topic}-assign-${Date.now()}` });
      const records = await consumeWith([consumer], req.topic, req.expect, req.timeoutMs, true);
      await consumer.disconnect();
      return { ok: true, records };
    }
    case 'consume-group': {
      await zstdInit();
      const consumers = Array.from({ length: req.members }, () => kafka.consumer({ groupId: req.group }));
      const records = await consumeWith(consumers, req.topic, req.expect, req.timeoutMs, true);
      await Promise.all(consumers.map((c) => c.disconnect()));
      return { ok: true, records };
    }
    case 'commit-resume': {
      await zstdInit();
      const records: ConsumedRecord[] = [];
      const first = kafka.consumer({ groupId: req.group });
      const processed = new Map<number, bigint>();
      let stop = false;
      await first.connect();
      await first.subscribe({ topic: req.topic, fromBeginning: true });
      await first.run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          if (stop) return;
          records.push({ p: partition, o: message.offset, k: message.key?.toString() ?? '', v: message.value?.toString() ?? '', m: 0 });
          processed.set(partition, BigInt(message.offset) + 1n);
          if (records.length >= req.firstBatch) stop = true;
        },
      });
      await until(() => stop, req.timeoutMs, () => `first consumer got ${records.length} of ${req.firstBatch}`);
      // Commit exactly what was processed: per partition the next offset to read (Kafka's commit semantics).
      await first.commitOffsets([...processed].map(([partition, offset]) => ({ topic: req.topic, partition, offset: offset.toString() })));
      await first.disconnect();
      const second = kafka.consumer({ groupId: req.group });
      const rest = await consumeWith([second], req.topic, req.expect - records.length, req.timeoutMs, true);
      await second.disconnect();
      return { ok: true, records: [...records, ...rest.map((r) => ({ ...r, m: 1 }))] };
    }
    case 'describe-configs':
    case 'alter-config': {
      const admin = kafka.admin();
      await admin.connect();
      if (req.op === 'alter-config') {
        await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: req.topic, configEntries: [{ name: req.name, value: req.value }] }] });
      }
      const described = await admin.describeConfigs({ includeSynonyms: false, resources: [{ type: 2, name: req.topic }] });
      await admin.disconnect();
      const configs = Object.fromEntries((described.resources[0]?.configEntries ?? []).map((e) => [e.configName, e.configValue]));
      return { ok: true, configs };
    }
    case 'delete-topic': {
      const admin = kafka.admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [req.topic] });
      const topics = await admin.listTopics();
      await admin.disconnect();
      return { ok: true, topics };
    }
    case 'auth': {
      const admin = kafka.admin();
      try {
        await admin.connect();
        await admin.listTopics();
        await admin.disconnect();
        return { ok: true, refused: false };
      } catch (error) {
        const e = error as Error;
        const refused = /SASL|authentication/i.test(`${e.name} ${e.message}`);
        return { ok: true, refused, error: `${e.name}: ${e.message}` };
      }
    }
  }
}

void runDriver(handle);
