import { metadataV1 } from '@stratus/contracts';
import type { WatchChange } from '@stratus/metadata-client';
import { MemoryObjectStore } from '@stratus/tiered-object-store';
import { deletePartitionData, MemorySegmentManifest, MemorySegmentSource, uploadPartitionPass } from '@stratus/tiered-uploader';
import { makeSegments } from './memory-manifest.testkit';
import { TopicDeletions } from './topic-deletion';

const TOPIC = Buffer.alloc(16, 0x5a);
const KEY = `${TOPIC.toString('hex')}/0`;
const assignment = metadataV1.PartitionAssignment.fromPartial({ tenantId: { value: 'lkc-del' }, partition: { topicId: { value: TOPIC }, partition: 0 }, replicaNodeIds: ['r1'] });

describe('TopicDeletions', () => {
  it('deletes the tiered data of a partition whose topic was deleted, retrying after a store failure', async () => {
    const listeners: ((c: WatchChange<string, metadataV1.PartitionAssignment>) => void)[] = [];
    const store = new MemoryObjectStore();
    const manifest = new MemorySegmentManifest();
    const address = { tenantId: 'lkc-del', topicId: TOPIC, partition: 0 };
    await uploadPartitionPass({ address, source: new MemorySegmentSource(makeSegments(2)), manifest, store });
    let failNext = true;
    let topicExists = true;
    const deleted: string[] = [];
    const deletions = new TopicDeletions({
      partitions: { onChange: (l) => (listeners.push(l), () => undefined) },
      topicExists: () => topicExists,
      mine: () => true,
      busy: () => false,
      deleteData: async (a) => {
        if (failNext) {
          failNext = false;
          throw new Error('S3 unavailable');
        }
        return deletePartitionData({ address: a, manifest, store });
      },
      onDeleted: (key) => deleted.push(key),
      logger: { info: () => undefined, warn: () => undefined },
    });
    // A re-sent assignment of a live topic is not a deletion.
    for (const l of listeners) l({ type: 'delete', key: KEY, previous: assignment, revision: 5n });
    await deletions.sweep();
    expect(deletions.waiting).toEqual([]);
    expect(manifest.entries(address)).toHaveLength(2);

    topicExists = false;
    for (const l of listeners) l({ type: 'delete', key: KEY, previous: assignment, revision: 6n });
    await deletions.sweep();
    expect(deletions.waiting).toEqual([KEY]);
    await deletions.sweep();
    expect(deletions.waiting).toEqual([]);
    expect(deleted).toEqual([KEY]);
    expect(manifest.entries(address)).toEqual([]);
    expect((await store.list('lkc-del/')).objects).toEqual([]);
  });
});
