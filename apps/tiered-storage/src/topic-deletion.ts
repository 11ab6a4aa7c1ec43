// Topic deletion reaches the object store here (issue 9 item 4: "deleting a topic deletes its
// objects"). DeleteTopics removes the topic and its partition assignments from metadata in one
// transaction; the partitions watch reports each assignment's deletion with its last value (tenant,
// topic id, partition). Each becomes a pending deletion that the owner of the partition (the node
// that tiered it) carries out — manifest entries, objects, and objects no entry names — retrying
// every round until it succeeds, so an S3 or metadata outage delays the deletion but never drops it.
// A partition still being uploaded waits for that pass to end, so no object lands after the sweep.
import type { metadataV1 } from '@stratus/contracts';
import { topicIdHex, type WatchedMap } from '@stratus/metadata-client';
import type { DeletedSegments, SegmentAddress } from '@stratus/tiered-uploader';

export interface TopicDeletionOptions {
  readonly partitions: Pick<WatchedMap<string, metadataV1.PartitionAssignment>, 'onChange'>;
  /** Whether the topic (by id hex) still exists: a re-sent assignment must not delete live data. */
  readonly topicExists: (topicIdHex: string) => boolean;
  readonly mine: (key: string) => boolean;
  readonly busy: (key: string) => boolean;
  readonly deleteData: (address: SegmentAddress) => Promise<DeletedSegments & { orphansDeleted?: number }>;
  readonly onDeleted: (key: string) => void;
  readonly logger: { info(obj: object, msg?: string): void; warn(obj: object, msg?: string): void };
}

export class TopicDeletions {
  private readonly pending = new Map<string, SegmentAddress>();
  private readonly unsubscribe: () => void;
  private sweeping: Promise<void> | undefined;

  constructor(private readonly options: TopicDeletionOptions) {
    this.unsubscribe = options.partitions.onChange((change) => {
      if (change.type !== 'delete') return;
      const p = change.previous;
      const topicId = p.partition?.topicId?.value;
      const tenantId = p.tenantId?.value;
      if (!topicId || topicId.length !== 16 || !tenantId) return;
      this.pending.set(change.key, { tenantId, topicId, partition: p.partition?.partition ?? 0 });
    });
  }

  get waiting(): readonly string[] {
    return [...this.pending.keys()];
  }

  /** Carries out the pending deletions this node owns; safe to call often (one sweep at a time). */
  sweep(): Promise<void> {
    this.sweeping ??= this.run().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  close(): void {
    this.unsubscribe();
  }

  private async run(): Promise<void> {
    for (const [key, address] of [...this.pending]) {
      if (this.options.topicExists(topicIdHex(address.topicId))) {
        this.pending.delete(key);
        continue;
      }
      if (!this.options.mine(key) || this.options.busy(key)) continue;
      try {
        const deleted = await this.options.deleteData(address);
        this.pending.delete(key);
        this.options.onDeleted(key);
        this.options.logger.info({ partition: key, tenant: address.tenantId, segmentsDeleted: deleted.segmentsDeleted, bytesDeleted: deleted.bytesDeleted.toString(), orphansDeleted: deleted.orphansDeleted ?? 0 }, 'tiered data of a deleted topic removed');
      } catch (error) {
        this.options.logger.warn({ partition: key, err: error }, 'deleting tiered data of a deleted topic failed; retried');
      }
    }
  }
}
