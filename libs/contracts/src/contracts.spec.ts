// Behaviour of the generated contracts that the services rely on: lossless 64-bit integers,
// opaque record bytes, tagged-union oneofs and the streaming shape of every data-path RPC.
import { brokerV1, commonV1, metadataV1, replicationV1, tieredV1 } from './index';

const topicId = Buffer.from('0123456789abcdef0123456789abcdef', 'hex');
const partition: commonV1.PartitionRef = { topicId: { value: topicId }, partition: 7 };

describe('int64 fields are lossless bigints', () => {
  it('round-trips offsets above 2^53 through the binary encoding', () => {
    const aboveDoublePrecision = 2n ** 53n + 1n; // 9007199254740993: not representable as a number
    const request: replicationV1.AppendRequest = replicationV1.AppendRequest.fromPartial({
      requestId: 1n,
      partition,
      epoch: 12,
      baseOffset: aboveDoublePrecision,
      endOffset: 2n ** 63n - 1n,
      records: Buffer.from([1, 2, 3, 4]),
      committedOffset: aboveDoublePrecision - 5n,
    });
    const decoded = replicationV1.AppendRequest.decode(replicationV1.AppendRequest.encode(request).finish());
    expect(decoded.baseOffset).toBe(aboveDoublePrecision);
    expect(decoded.endOffset).toBe(2n ** 63n - 1n);
    expect(decoded.committedOffset).toBe(aboveDoublePrecision - 5n);
    expect(decoded).toEqual(request);
  });

  it('keeps Kafka sentinel values such as -1 exact', () => {
    const response = brokerV1.ProducePartitionResponse.fromPartial({ partition, baseOffset: -1n, logAppendTimeMs: -1n });
    const decoded = brokerV1.ProducePartitionResponse.decode(brokerV1.ProducePartitionResponse.encode(response).finish());
    expect(decoded.baseOffset).toBe(-1n);
    expect(decoded.logAppendTimeMs).toBe(-1n);
  });

  it('reads int64 JSON strings without going through a double', () => {
    const decoded = brokerV1.FetchPartition.fromJSON({ fetchOffset: '9007199254740993' });
    expect(decoded.fetchOffset).toBe(9007199254740993n);
    expect(brokerV1.FetchPartition.toJSON(decoded)).toMatchObject({ fetchOffset: '9007199254740993' });
  });

  it('refuses values that do not fit in 64 bits instead of truncating them', () => {
    const tooLarge = replicationV1.AppendRequest.fromPartial({ baseOffset: 2n ** 64n });
    expect(() => replicationV1.AppendRequest.encode(tooLarge)).toThrow(/too large/);
  });
});

describe('record batches stay opaque bytes', () => {
  it('carries batches as Buffers unchanged', () => {
    const batch = Buffer.alloc(1024, 0xab);
    const response = brokerV1.FetchPartitionResponse.fromPartial({ partition, records: batch, highWatermark: 42n });
    const decoded = brokerV1.FetchPartitionResponse.decode(brokerV1.FetchPartitionResponse.encode(response).finish());
    expect(Buffer.isBuffer(decoded.records)).toBe(true);
    expect(decoded.records.equals(batch)).toBe(true);
  });
});

describe('oneofs are tagged unions', () => {
  it('round-trips a watch event and narrows on $case', () => {
    const message = metadataV1.WatchTopicsResponse.fromPartial({
      revision: 99n,
      event: {
        $case: 'reset',
        value: { reason: metadataV1.WatchResetReason.COMPACTED },
      },
    });
    const decoded = metadataV1.WatchTopicsResponse.decode(metadataV1.WatchTopicsResponse.encode(message).finish());
    expect(decoded.event?.$case).toBe('reset');
    if (decoded.event?.$case === 'reset') {
      expect(decoded.event.value.reason).toBe(metadataV1.WatchResetReason.COMPACTED);
    }
    expect(metadataV1.WatchTopicsResponse.toJSON(decoded)).toMatchObject({
      reset: { reason: 'WATCH_RESET_REASON_COMPACTED' },
    });
  });

  it('distinguishes an absent message (success) from a present error', () => {
    const ok = replicationV1.AppendResponse.decode(
      replicationV1.AppendResponse.encode({ requestId: 3n, partition, logEndOffset: 10n, promisedEpoch: 4 }).finish(),
    );
    expect(ok.error).toBeUndefined();
    const fenced = replicationV1.AppendResponse.decode(
      replicationV1.AppendResponse.encode({
        requestId: 4n,
        partition,
        error: { code: replicationV1.ReplicaErrorCode.FENCED, message: 'epoch 4 < promised 5' },
        logEndOffset: 10n,
        promisedEpoch: 5,
      }).finish(),
    );
    expect(fenced.error?.code).toBe(replicationV1.ReplicaErrorCode.FENCED);
  });
});

describe('grpc-js service definitions', () => {
  const shape = (method: { path: string; requestStream: boolean; responseStream: boolean }) => ({
    path: method.path,
    requestStream: method.requestStream,
    responseStream: method.responseStream,
  });

  it('streams both ways on the broker data path', () => {
    expect(shape(brokerV1.BrokerServiceService.produce)).toEqual({
      path: '/stratus.broker.v1.BrokerService/Produce',
      requestStream: true,
      responseStream: true,
    });
    expect(shape(brokerV1.BrokerServiceService.fetch)).toEqual({
      path: '/stratus.broker.v1.BrokerService/Fetch',
      requestStream: true,
      responseStream: true,
    });
    expect(shape(brokerV1.BrokerServiceService.kafkaPassthrough)).toMatchObject({ requestStream: false, responseStream: false });
  });

  it('streams replication appends both ways and segment reads from the server', () => {
    expect(shape(replicationV1.ReplicationServiceService.append)).toEqual({
      path: '/stratus.replication.v1.ReplicationService/Append',
      requestStream: true,
      responseStream: true,
    });
    expect(shape(replicationV1.ReplicationServiceService.readSegment)).toMatchObject({ requestStream: false, responseStream: true });
    expect(shape(replicationV1.ReplicationServiceService.fence)).toMatchObject({ requestStream: false, responseStream: false });
  });

  it('serves metadata watches as server streams', () => {
    for (const method of [
      metadataV1.MetadataServiceService.watchTenants,
      metadataV1.MetadataServiceService.watchTopics,
      metadataV1.MetadataServiceService.watchPartitions,
      metadataV1.MetadataServiceService.watchNodes,
    ]) {
      expect(shape(method)).toMatchObject({ requestStream: false, responseStream: true });
    }
    expect(metadataV1.MetadataServiceService.getScramCredential.path).toBe('/stratus.metadata.v1.MetadataService/GetScramCredential');
  });

  it('names tiered storage in its own versioned package', () => {
    expect(tieredV1.TieredStorageServiceService.fetch.path).toBe('/stratus.tiered.v1.TieredStorageService/Fetch');
  });
});
