// @platformatic/kafka driver. Every consumer there belongs to a group (groupId is required), so
// "consume without a group" is a one-member group of its own, as with kafkajs.
import { Admin, Consumer, MessagesStreamModes, ProduceAcks, Producer, type SASLOptions } from '@platformatic/kafka';
import type { ConsumedRecord, DriverRequest, DriverResult } from '../../src/protocol';
import { describeError, recordKey, recordValue, runDriver } from '../shared/io';

const TOPIC_RESOURCE = 2;

function base(req: DriverRequest): { clientId: string; bootstrapBrokers: string[]; sasl: SASLOptions; timeout: number; retries: number } {
  const { mechanism, username, password } = req.connection;
  return { clientId: 'compat-platformatic', bootstrapBrokers: req.connection.bootstrap.split(','), sasl: { mechanism, username, password }, timeout: 30_000, retries: 5 };
}

async function withTimeout<T>(describe: () => string, ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${describe()}`)), ms)));
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Reads with one consumer of `group` until `enough()`; optionally commits each record it keeps. */
async function consume(req: DriverRequest, group: string, member: number, records: ConsumedRecord[], options: { enough: () => boolean; commit: boolean }): Promise<void> {
  const consumer = new Consumer({ ...base(req), groupId: group });
  const stream = await consumer.consume({ topics: [req.topic], mode: MessagesStreamModes.COMMITTED, fallbackMode: 'earliest', autocommit: false, maxWaitTime: 500 } as never);
  try {
    for await (const message of stream as AsyncIterable<{ partition: number; offset: bigint; key: Buffer; value: Buffer; commit(): Promise<void> | void }>) {
      records.push({ p: message.partition, o: message.offset.toString(), k: message.key?.toString() ?? '', v: message.value?.toString() ?? '', m: member });
      if (options.commit) await message.commit();
      if (options.enough()) break;
    }
  } finally {
    await stream.close();
    await consumer.close();
  }
}

async function configs(admin: Admin, topic: string): Promise<Record<string, string>> {
  const described = await admin.describeConfigs({ resources: [{ resourceType: TOPIC_RESOURCE, resourceName: topic, configurationKeys: null }] } as never);
  return Object.fromEntries((described[0]?.configs ?? []).map((c) => [c.name, c.value ?? '']));
}

async function handle(req: DriverRequest): Promise<DriverResult> {
  const admin = (): Admin => new Admin(base(req));
  switch (req.op) {
    case 'create-topic': {
      const a = admin();
      await a.createTopics({ topics: [req.topic], partitions: req.partitions, replicas: 1 });
      const topics = await a.listTopics();
      await a.close();
      return { ok: true, topics };
    }
    case 'produce': {
      const producer = new Producer({ ...base(req), idempotent: req.idempotent, compression: req.codec, acks: ProduceAcks.ALL } as never);
      const batch = 500;
      for (let start = 0; start < req.count; start += batch) {
        const messages = Array.from({ length: Math.min(batch, req.count - start) }, (_, j) => ({ topic: req.topic, key: Buffer.from(recordKey(start + j)), value: Buffer.from(recordValue(req.codec, start + j)) }));
        await producer.send({ messages });
      }
      await producer.close();
      return { ok: true, produced: req.count };
    }
    case 'consume-assign':
    case 'consume-group': {
      const records: ConsumedRecord[] = [];
      const members = req.op === 'consume-group' ? req.members : 1;
      const group = req.op === 'consume-group' ? req.group : `${req.topic}-assign-${Date.now()}`;
      const enough = (): boolean => records.length >= req.expect;
      await withTimeout(() => `consumed ${records.length} of ${req.expect}`, req.timeoutMs, Promise.all(Array.from({ length: members }, (_, m) => consume(req, group, m, records, { enough, commit: false }))));
      return { ok: true, records };
    }
    case 'commit-resume': {
      const records: ConsumedRecord[] = [];
      await withTimeout(() => `first consumer got ${records.length}`, req.timeoutMs, consume(req, req.group, 0, records, { enough: () => records.length >= req.firstBatch, commit: true }));
      await withTimeout(() => `consumed ${records.length} of ${req.expect}`, req.timeoutMs, consume(req, req.group, 1, records, { enough: () => records.length >= req.expect, commit: true }));
      return { ok: true, records };
    }
    case 'describe-configs': {
      const a = admin();
      const result = await configs(a, req.topic);
      await a.close();
      return { ok: true, configs: result };
    }
    case 'alter-config': {
      const a = admin();
      await a.alterConfigs({ resources: [{ resourceType: TOPIC_RESOURCE, resourceName: req.topic, configs: [{ name: req.name, value: req.value }] }] } as never);
      const result = await configs(a, req.topic);
      await a.close();
      return { ok: true, configs: result };
    }
    case 'delete-topic': {
      const a = admin();
      await a.deleteTopics({ topics: [req.topic] });
      const topics = await a.listTopics();
      await a.close();
      return { ok: true, topics };
    }
    case 'auth': {
      const a = admin();
      try {
        await a.listTopics();
        return { ok: true, refused: false };
      } catch (error) {
        // The SASL failure sits a few levels down in platformatic's aggregated errors.
        const text = describeError(error);
        return { ok: true, refused: /SASL|authenticat/i.test(text), error: text };
      } finally {
        await a.close().catch(() => undefined);
      }
    }
  }
}

void runDriver(handle);
