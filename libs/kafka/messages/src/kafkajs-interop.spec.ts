// Cross-checks against an independent implementation: kafkajs's hand-written protocol code.
// Requests kafkajs encodes must be byte-identical to ours and decode to the expected values;
// responses we encode must read back correctly with kafkajs's decoders.
import { createRequire } from 'node:module';
import {
  decodeHeartbeatRequest,
  decodeJoinGroupRequest,
  decodeMetadataRequest,
  encodeApiVersionsResponse,
  encodeFindCoordinatorResponse,
  encodeHeartbeatRequest,
  encodeJoinGroupRequest,
  encodeMetadataRequest,
  encodeMetadataResponse,
  type JoinGroupRequest,
  type MetadataResponse,
} from './index';

const load = createRequire(__filename);

interface KafkajsRequest {
  encode(): Promise<{ buffer: Buffer }>;
}
type RequestFactory = (args: Record<string, unknown>) => KafkajsRequest;
type ResponseDecoder = { decode(raw: Buffer): Promise<Record<string, unknown>> };

function kafkajsRequest(api: string, version: number): RequestFactory {
  return load(`kafkajs/src/protocol/requests/${api}/v${version}/request`) as RequestFactory;
}

function kafkajsResponse(api: string, version: number): ResponseDecoder {
  return load(`kafkajs/src/protocol/requests/${api}/v${version}/response`) as ResponseDecoder;
}

describe('requests encoded by kafkajs', () => {
  it('JoinGroup v5 is byte-identical and decodes to the same values', async () => {
    const metadata = Buffer.from([0, 1, 2, 3]);
    const theirs = (
      await kafkajsRequest('joinGroup', 5)({
        groupId: 'g',
        sessionTimeout: 30000,
        rebalanceTimeout: 60000,
        memberId: '',
        groupInstanceId: 'static-1',
        protocolType: 'consumer',
        groupProtocols: [{ name: 'range', metadata }],
      }).encode()
    ).buffer;
    const ours: JoinGroupRequest = {
      groupId: 'g',
      sessionTimeoutMs: 30000,
      rebalanceTimeoutMs: 60000,
      memberId: '',
      groupInstanceId: 'static-1',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata }],
      reason: null,
    };
    expect(encodeJoinGroupRequest(ours, 5)).toEqual(theirs);
    expect(decodeJoinGroupRequest(theirs, 5)).toEqual(ours);
  });

  it('Metadata v4 and Heartbeat v3 are byte-identical', async () => {
    const metadata = (await kafkajsRequest('metadata', 4)({ topics: ['orders', 'audit'], allowAutoTopicCreation: false }).encode()).buffer;
    const decoded = decodeMetadataRequest(metadata, 4);
    expect(decoded.topics?.map((t) => t.name)).toEqual(['orders', 'audit']);
    expect(decoded.allowAutoTopicCreation).toBe(false);
    expect(encodeMetadataRequest(decoded, 4)).toEqual(metadata);

    const heartbeat = (
      await kafkajsRequest('heartbeat', 3)({ groupId: 'g', groupGenerationId: 7, memberId: 'm-1', groupInstanceId: null }).encode()
    ).buffer;
    const hb = decodeHeartbeatRequest(heartbeat, 3);
    expect(hb).toEqual({ groupId: 'g', generationId: 7, memberId: 'm-1', groupInstanceId: null });
    expect(encodeHeartbeatRequest(hb, 3)).toEqual(heartbeat);
  });
});

describe('responses decoded by kafkajs', () => {
  it('Metadata v4', async () => {
    const response: MetadataResponse = {
      throttleTimeMs: 5,
      brokers: [{ nodeId: 1, host: 'router-a', port: 9092, rack: 'az-1' }],
      clusterId: 'c-1',
      controllerId: 1,
      topics: [
        {
          errorCode: 0,
          name: 'orders',
          isInternal: false,
          partitions: [{ errorCode: 0, partitionIndex: 0, leaderId: 1, replicaNodes: [1, 2, 3], isrNodes: [1, 2], offlineReplicas: [] }],
        },
      ],
    };
    const decoded = await kafkajsResponse('metadata', 4).decode(encodeMetadataResponse(response, 4));
    expect(decoded).toEqual({
      throttleTime: 5,
      brokers: [{ nodeId: 1, host: 'router-a', port: 9092, rack: 'az-1' }],
      clusterId: 'c-1',
      controllerId: 1,
      topicMetadata: [
        {
          topicErrorCode: 0,
          topic: 'orders',
          isInternal: false,
          partitionMetadata: [{ partitionErrorCode: 0, partitionId: 0, leader: 1, replicas: [1, 2, 3], isr: [1, 2] }],
        },
      ],
    });
  });

  it('ApiVersions v2 and FindCoordinator v1', async () => {
    const apiVersions = await kafkajsResponse('apiVersions', 2).decode(
      encodeApiVersionsResponse({ errorCode: 0, apiKeys: [{ apiKey: 0, minVersion: 3, maxVersion: 13 }], throttleTimeMs: 0 }, 2),
    );
    expect(apiVersions).toEqual(expect.objectContaining({ errorCode: 0, apiVersions: [{ apiKey: 0, minVersion: 3, maxVersion: 13 }], throttleTime: 0 }));

    const coordinator = await kafkajsResponse('findCoordinator', 1).decode(
      encodeFindCoordinatorResponse({ throttleTimeMs: 0, errorCode: 0, errorMessage: null, nodeId: 4, host: 'router-b', port: 9093 }, 1),
    );
    expect(coordinator).toEqual({ throttleTime: 0, errorCode: 0, errorMessage: null, coordinator: { nodeId: 4, host: 'router-b', port: 9093 } });
  });
});
