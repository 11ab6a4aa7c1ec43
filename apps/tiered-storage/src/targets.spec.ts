import { commonV1, metadataV1 } from '@stratus/contracts';
import { buildTargets, DEFAULT_RETENTION, ownerOf, retentionOf } from './targets';

const TOPIC = Buffer.alloc(16, 0x11);
const HEX = TOPIC.toString('hex');

function node(nodeId: string, az: string, role = commonV1.NodeRole.REPLICATION): metadataV1.NodeRegistration {
  return metadataV1.NodeRegistration.fromPartial({ node: { nodeId, role, placement: { cell: 'cell-1', availabilityZone: az }, grpcAddress: `${nodeId}:7003` } });
}

function topic(configs: Record<string, string> = {}, state = metadataV1.TopicState.ACTIVE): metadataV1.Topic {
  return metadataV1.Topic.fromPartial({ topicId: { value: TOPIC }, tenantId: { value: 'lkc-1' }, name: 'orders', state, configs });
}

function assignment(partition: number, replicas: string[]): metadataV1.PartitionAssignment {
  return metadataV1.PartitionAssignment.fromPartial({ partition: { topicId: { value: TOPIC }, partition }, tenantId: { value: 'lkc-1' }, leaderNodeId: replicas[0], replicaNodeIds: replicas });
}

const mapOf = <V>(entries: Array<[string, V]>) => new Map(entries);

describe('buildTargets', () => {
  const nodes = mapOf([
    ['n1', node('n1', 'az-1')],
    ['n2', node('n2', 'az-2')],
    ['n3', node('n3', 'az-2')],
    ['b1', node('b1', 'az-2', commonV1.NodeRole.BROKER)],
  ]);

  it('orders live replicas with this node AZ first and drops dead or non-replication nodes', () => {
    const targets = buildTargets({ partitions: [assignment(0, ['n1', 'gone', 'n2', 'b1', 'n3'])], nodes, topics: mapOf([[HEX, topic()]]), az: 'az-2' });
    expect(targets).toEqual([{ key: `${HEX}/0`, address: { tenantId: 'lkc-1', topicId: TOPIC, partition: 0 }, replicas: ['n2:7003', 'n3:7003', 'n1:7003'], retention: DEFAULT_RETENTION }]);
  });

  it('skips partitions of unknown or deleting topics, and sorts by key', () => {
    const partitions = [assignment(2, ['n1']), assignment(1, ['n1'])];
    expect(buildTargets({ partitions, nodes, topics: mapOf<metadataV1.Topic>([]), az: 'az-1' })).toEqual([]);
    expect(buildTargets({ partitions, nodes, topics: mapOf([[HEX, topic({}, metadataV1.TopicState.DELETING)]]), az: 'az-1' })).toEqual([]);
    expect(buildTargets({ partitions, nodes, topics: mapOf([[HEX, topic()]]), az: 'az-1' }).map((t) => t.key)).toEqual([`${HEX}/1`, `${HEX}/2`]);
  });
});

describe('retentionOf', () => {
  it('reads retention.ms and retention.bytes, keeping Kafka defaults for missing or unreadable values', () => {
    expect(retentionOf(topic({ 'retention.ms': '3600000', 'retention.bytes': '1048576' }))).toEqual({ retentionMs: 3_600_000, retentionBytes: 1_048_576 });
    expect(retentionOf(topic({ 'retention.ms': '-1' }))).toEqual({ retentionMs: -1, retentionBytes: -1 });
    expect(retentionOf(topic({ 'retention.ms': 'soon', 'retention.bytes': '-7' }))).toEqual(DEFAULT_RETENTION);
  });
});

describe('ownerOf', () => {
  const keys = Array.from({ length: 200 }, (_, i) => `${HEX}/${i}`);

  it('gives every partition exactly one owner, the same whatever order the nodes are listed in', () => {
    for (const k of keys) expect(ownerOf(k, ['t1', 't2', 't3'])).toBe(ownerOf(k, ['t3', 't1', 't2']));
    const share = new Map<string, number>();
    for (const k of keys) share.set(ownerOf(k, ['t1', 't2']) as string, (share.get(ownerOf(k, ['t1', 't2']) as string) ?? 0) + 1);
    expect([...share.keys()].sort()).toEqual(['t1', 't2']);
    expect(ownerOf(keys[0] as string, [])).toBeUndefined();
  });

  it('moves only the leaving node share when a node goes away', () => {
    for (const k of keys) {
      const before = ownerOf(k, ['t1', 't2', 't3']);
      if (before !== 't3') expect(ownerOf(k, ['t1', 't2'])).toBe(before);
    }
  });
});
