// A FakeBrokerCluster node served over real gRPC (stratus.broker.v1.BrokerService) on
// 127.0.0.1:<free port>, for integration tests of BrokerConnections and of real Kafka clients
// through a router. `holdProduce` keeps produce requests unanswered and `breakStreams` kills the
// open streams, so tests can fail requests in flight.
import { status, type ServerDuplexStream, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { brokerV1 } from '@stratus/contracts';
import { bindGrpcServer, createGrpcServer } from '@stratus/platform-grpc';
import type { FakeBrokerCluster } from './fake-broker.testkit';

export interface FakeBrokerServer {
  readonly nodeId: string;
  readonly address: string;
  /** Produce requests received and left unanswered while holding. */
  holdProduce: boolean;
  readonly heldProduce: brokerV1.ProduceRequest[];
  /** Streams opened so far (each re-open after a failure adds one). */
  readonly streamsOpened: { produce: number; fetch: number };
  /** Fails every open Produce/Fetch stream with UNAVAILABLE (a broker crash as the router sees it). */
  breakStreams(): void;
  close(): Promise<void>;
}

export async function startFakeBrokerServer(cluster: FakeBrokerCluster, nodeId: string): Promise<FakeBrokerServer> {
  const server = createGrpcServer();
  const open = new Set<ServerDuplexStream<unknown, unknown>>();
  const state: FakeBrokerServer = {
    nodeId,
    address: '',
    holdProduce: false,
    heldProduce: [],
    streamsOpened: { produce: 0, fetch: 0 },
    breakStreams() {
      for (const call of [...open]) {
        open.delete(call);
        // grpc-js ends a server stream with this status when 'error' is emitted on it.
        call.emit('error', { code: status.UNAVAILABLE, details: 'broker crashed' });
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        state.breakStreams();
        server.tryShutdown(() => resolve());
        setTimeout(() => server.forceShutdown(), 1_000).unref();
      }),
  };
  const track = <Req, Res>(call: ServerDuplexStream<Req, Res>): void => {
    open.add(call as ServerDuplexStream<unknown, unknown>);
    call.on('end', () => {
      open.delete(call as ServerDuplexStream<unknown, unknown>);
      call.end();
    });
    call.on('error', () => open.delete(call as ServerDuplexStream<unknown, unknown>));
    call.on('cancelled', () => open.delete(call as ServerDuplexStream<unknown, unknown>));
  };
  const unary =
    <Req, Res>(handle: (request: Req) => Res | Promise<Res>) =>
    (call: ServerUnaryCall<Req, Res>, callback: sendUnaryData<Res>): void => {
      Promise.resolve(handle(call.request)).then(
        (response) => callback(null, response),
        (error: Error) => callback(error),
      );
    };
  const impl: brokerV1.BrokerServiceServer = {
    produce(call) {
      state.streamsOpened.produce++;
      track(call);
      call.on('data', (request: brokerV1.ProduceRequest) => {
        if (state.holdProduce) {
          state.heldProduce.push(request);
          return;
        }
        call.write(cluster.produce(nodeId, request));
      });
    },
    fetch(call) {
      state.streamsOpened.fetch++;
      track(call);
      call.on('data', (request: brokerV1.FetchRequest) => {
        void cluster.fetch(nodeId, request).then((response) => {
          if (!call.cancelled && !call.destroyed) call.write(response);
        });
      });
    },
    listOffsets: unary((r: brokerV1.ListOffsetsRequest) => cluster.listOffsets(nodeId, r)),
    offsetForLeaderEpoch: unary((r: brokerV1.OffsetForLeaderEpochRequest) => cluster.offsetForLeaderEpoch(nodeId, r)),
    deleteRecords: unary((r: brokerV1.DeleteRecordsRequest) => cluster.deleteRecords(nodeId, r)),
    initProducerId: unary((r: brokerV1.InitProducerIdRequest) => cluster.initProducerId(nodeId, r)),
    describeProducers: unary((r: brokerV1.DescribeProducersRequest) => cluster.describeProducers(nodeId, r)),
    kafkaPassthrough(_call, callback) {
      callback({ code: status.UNIMPLEMENTED, details: 'the fake broker has no coordinators' });
    },
  };
  server.addService(brokerV1.BrokerServiceService, impl);
  const port = await bindGrpcServer(server, '127.0.0.1', 0);
  return Object.assign(state, { address: `127.0.0.1:${port}` });
}
