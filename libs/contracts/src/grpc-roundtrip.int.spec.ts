// The generated grpc-js stubs against a real HTTP/2 server on loopback: a bidirectional stream
// and a server stream carry bigint offsets and record bytes end to end.
import { credentials, Server, ServerCredentials } from '@grpc/grpc-js';
import { commonV1, replicationV1 } from './index';

const partition: commonV1.PartitionRef = { topicId: { value: Buffer.alloc(16, 1) }, partition: 0 };

function notImplemented(): never {
  throw new Error('not used by this test');
}

describe('generated ReplicationService over grpc-js', () => {
  let server: Server;
  let client: replicationV1.ReplicationServiceClient;

  beforeAll(async () => {
    server = new Server();
    // A toy replica: accepts appends only at its log end, like rule 2 of the replication protocol.
    let logEnd = 2n ** 60n;
    const implementation: replicationV1.ReplicationServiceServer = {
      append: (call) => {
        call.on('data', (request: replicationV1.AppendRequest) => {
          if (request.baseOffset !== logEnd) {
            call.write({
              requestId: request.requestId,
              partition: request.partition,
              error: { code: replicationV1.ReplicaErrorCode.OUT_OF_ORDER, message: 'not at log end' },
              logEndOffset: logEnd,
              promisedEpoch: request.epoch,
            });
            return;
          }
          logEnd = request.endOffset;
          call.write({ requestId: request.requestId, partition: request.partition, logEndOffset: logEnd, promisedEpoch: request.epoch });
        });
        call.on('end', () => call.end());
      },
      readSegment: (call) => {
        const data = Buffer.from('segment-bytes');
        call.write({ event: { $case: 'chunk', value: { position: 0n, data, crc32c: 7 } } });
        call.write({ event: { $case: 'trailer', value: { sizeBytes: BigInt(data.length), crc32c: 7 } } });
        call.end();
      },
      read: notImplemented,
      fence: notImplemented,
      truncate: notImplemented,
      markEpochStart: notImplemented,
      getLogState: notImplemented,
      repair: notImplemented,
      deleteSegmentsBefore: notImplemented,
      deletePartition: notImplemented,
      listSealedSegments: notImplemented,
    };
    server.addService(replicationV1.ReplicationServiceService, implementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
    );
    client = new replicationV1.ReplicationServiceClient(`127.0.0.1:${port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    client.close();
    await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
  });

  it('acknowledges pipelined appends on a bidirectional stream with exact 64-bit offsets', async () => {
    const base = 2n ** 60n;
    const stream = client.append();
    const acks: replicationV1.AppendResponse[] = [];
    const done = new Promise<void>((resolve, reject) => {
      stream.on('data', (ack: replicationV1.AppendResponse) => acks.push(ack));
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    const records = Buffer.from([0xde, 0xad, 0xbe, 0xef]);
    // fromPartial fills proto3 defaults: encode() expects every scalar key to be present.
    const append = (requestId: bigint, baseOffset: bigint, endOffset: bigint) =>
      replicationV1.AppendRequest.fromPartial({ requestId, partition, epoch: 3, baseOffset, endOffset, records });
    stream.write(append(1n, base, base + 10n));
    stream.write(append(2n, base + 10n, base + 11n));
    stream.write(append(3n, base + 50n, base + 51n));
    stream.end();
    await done;

    expect(acks.map((ack) => [ack.requestId, ack.logEndOffset, ack.error?.code])).toEqual([
      [1n, base + 10n, undefined],
      [2n, base + 11n, undefined],
      [3n, base + 11n, replicationV1.ReplicaErrorCode.OUT_OF_ORDER],
    ]);
  });

  it('streams a segment as chunks followed by a trailer', async () => {
    const events: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const stream = client.readSegment({ partition, baseOffset: 0n, chunkSizeBytes: 0 });
      stream.on('data', (message: replicationV1.ReadSegmentResponse) => {
        if (message.event?.$case === 'chunk') events.push(`chunk:${message.event.value.data.toString()}`);
        if (message.event?.$case === 'trailer') events.push(`trailer:${message.event.value.sizeBytes}`);
      });
      stream.on('end', resolve);
      stream.on('error', reject);
    });
    expect(events).toEqual(['chunk:segment-bytes', 'trailer:13']);
  });
});
