// DeleteRecords (KIP-107) end to end with a real client: kafkajs admin.deleteTopicRecords through
// a router, to the partition's leader broker, which moves the log start on the replication nodes.
// Afterwards ListOffsets EARLIEST answers the new start and a consumer from the beginning gets
// only the records at or above it. Real processes all the way (the `npm start` cluster).
import { useHarness } from '@stratus/platform-testing';
import type { Admin } from 'kafkajs';
import { kafkajsClient, launchLocalCluster, stopLocalCluster, type LaunchedCluster } from './launch.testkit';

useHarness();

describe('DeleteRecords through the routers (kafkajs)', () => {
  let cluster: LaunchedCluster | undefined;
  let admin: Admin | undefined;

  beforeAll(async () => {
    cluster = await launchLocalCluster('delete-records');
  }, 240_000);

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await stopLocalCluster(cluster);
  }, 60_000);

  it('moves the low watermark; earliest offsets and consumers follow; beyond the HW is refused', async () => {
    const kafka = kafkajsClient(cluster as LaunchedCluster, 'delete-records-it');
    admin = kafka.admin();
    await admin.connect();
    const topic = 'trimmed';
    await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true });

    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    // Ten single-record batches, then one batch of five (offsets 10..14): the delete point 12 lies inside it.
    for (let i = 0; i < 10; i++) await producer.send({ topic, acks: -1, messages: [{ value: `v${i}` }] });
    await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, k) => ({ value: `v${10 + k}` })) });
    await producer.disconnect();

    expect(await admin.fetchTopicOffsets(topic)).toEqual([expect.objectContaining({ partition: 0, low: '0', high: '15' })]);
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '4' }] });
    expect(await admin.fetchTopicOffsets(topic)).toEqual([expect.objectContaining({ partition: 0, low: '4', high: '15' })]);
    // Inside a batch: the log start is a logical one, not a batch or segment boundary.
    await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '12' }] });
    expect(await admin.fetchTopicOffsets(topic)).toEqual([expect.objectContaining({ partition: 0, low: '12', high: '15' })]);
    // kafkajs only warns about offsets below the low watermark; one above the HW reaches the
    // broker, which answers OFFSET_OUT_OF_RANGE.
    await expect(admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '99' }] })).rejects.toThrow();

    const consumer = kafka.consumer({ groupId: 'delete-records-it', retry: { retries: 8 } });
    await consumer.connect();
    await consumer.subscribe({ topic, fromBeginning: true });
    const seen: Array<[string, string]> = [];
    await consumer.run({
      eachMessage: async ({ message }) => {
        seen.push([message.offset, message.value?.toString() ?? '']);
      },
    });
    const deadline = Date.now() + 60_000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
    await consumer.disconnect();
    // The whole batch 10..14 is fetched; the client drops the records below the fetch offset 12.
    expect(seen).toEqual([
      ['12', 'v12'],
      ['13', 'v13'],
      ['14', 'v14'],
    ]);
  }, 180_000);
});
