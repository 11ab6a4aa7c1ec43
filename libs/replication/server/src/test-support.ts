// Test support (not exported): a replication node (store + gRPC server on a loopback port) in a
// temp dir, a client to it, and promisified calls.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ClientDuplexStream, Server } from '@grpc/grpc-js';
import { replicationV1 } from '@stratus/contracts';
import { buildBatch } from '@stratus/kafka-records';
import { bindGrpcServer, createGrpcClient, createGrpcServer, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { DEFAULT_PARTITION_LOG_CONFIG, NodeFileIo, ReplicaStore, type PartitionLogConfig } from '@stratus/replication-partition-log';
import { createReplicationService } from './replication-service';

export const TOPIC_ID = Buffer.from('00112233445566778899aabbccddeeff', 'hex');
export const partition = (index = 0) => ({ topicId: { value: TOPIC_ID }, partition: index });

export interface Node {
  readonly address: string;
  readonly dataDir: string;
  readonly store: ReplicaStore;
  readonly client: replicationV1.ReplicationServiceClient;
  stop(): Promise<void>;
}

export async function startNode(config: Partial<PartitionLogConfig> = {}): Promise<Node> {
  const dataDir = await mkdtemp(join(tmpdir(), 'stratus-repl-server-'));
  const store = await ReplicaStore.open({ dataDir, io: new NodeFileIo(), config: { ...DEFAULT_PARTITION_LOG_CONFIG, ...config } });
  const server: Server = createGrpcServer();
  server.addService(replicationV1.ReplicationServiceService, createReplicationService({ store }));
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  const address = `127.0.0.1:${port}`;
  const client = createGrpcClient(replicationV1.ReplicationServiceClient, address);
  return {
    address,
    dataDir,
    store,
    client,
    stop: async () => {
      client.close();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      await store.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

function unary<Req, Res>(client: replicationV1.ReplicationServiceClient, method: UnaryMethod<Req, Res>): (req: Req) => Promise<Res> {
  return (req) => unaryCall(client, method, req, { timeoutMs: 10_000 });
}

/** Typed, promisified unary calls of the ReplicationService (the generated client is callback-only). */
export function rpc(c: replicationV1.ReplicationServiceClient) {
  return {
    fence: unary(c, c.fence),
    read: unary(c, c.read),
    truncate: unary(c, c.truncate),
    markEpochStart: unary(c, c.markEpochStart),
    getLogState: unary(c, c.getLogState),
    repair: unary(c, c.repair),
    listSealedSegments: unary(c, c.listSealedSegments),
    deleteSegmentsBefore: unary(c, c.deleteSegmentsBefore),
    deletePartition: unary(c, c.deletePartition),
  };
}

/** A RecordBatch v2 at `baseOffset` with `count` records, stamped with the leader's epoch. */
export function batch(baseOffset: bigint, epoch: number, count = 1, tag = ''): Buffer {
  const records = Array.from({ length: count }, (_, i) => ({ key: `k${baseOffset + BigInt(i)}`, value: `value-${tag}-${baseOffset + BigInt(i)}-${'x'.repeat(50)}` }));
  return buildBatch({ records, baseOffset, partitionLeaderEpoch: epoch, baseTimestamp: 1_700_000_000_000n + baseOffset });
}

/** An Append stream with a promise per request, resolved by the ack that echoes its request id. */
export function appendStream(client: replicationV1.ReplicationServiceClient): {
  send(req: Omit<replicationV1.AppendRequest, 'requestId' | 'committedOffset' | 'forceFlush'> & Partial<replicationV1.AppendRequest>): Promise<replicationV1.AppendResponse>;
  acks: replicationV1.AppendResponse[];
  end(): Promise<void>;
} {
  const stream: ClientDuplexStream<replicationV1.AppendRequest, replicationV1.AppendResponse> = client.append();
  const waiting = new Map<bigint, (r: replicationV1.AppendResponse) => void>();
  const acks: replicationV1.AppendResponse[] = [];
  let nextId = 1n;
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  stream.on('data', (res: replicationV1.AppendResponse) => {
    acks.push(res);
    waiting.get(res.requestId)?.(res);
    waiting.delete(res.requestId);
  });
  return {
    acks,
    send: (req) => {
      const requestId = nextId++;
      const p = new Promise<replicationV1.AppendResponse>((resolve) => waiting.set(requestId, resolve));
      stream.write({ committedOffset: 0n, forceFlush: false, ...req, requestId });
      return p;
    },
    end: () => {
      stream.end();
      return ended;
    },
  };
}
