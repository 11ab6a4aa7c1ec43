// GrpcPassthroughClients against a real gRPC BrokerService on 127.0.0.1 (only KafkaPassthrough is
// served): the answer passes through, every call carries the caller's deadline, a silent broker
// fails the call at that deadline instead of hanging a group request, and a broker the view does
// not know is a typed error before anything is sent.
import { status, type Server, type ServerUnaryCall, type ServiceError, type sendUnaryData } from '@grpc/grpc-js';
import { brokerV1 } from '@stratus/contracts';
import { bindGrpcServer, createGrpcServer } from '@stratus/platform-grpc';
import { InMemoryClusterView } from '@stratus/router-cluster-view';
import { BrokerNotInViewError, GrpcPassthroughClients } from './passthrough-rpc';
import { router } from './routing.testkit';

type Behaviour = 'echo' | 'silent' | 'unavailable';

describe('GrpcPassthroughClients over real gRPC', () => {
  let server: Server;
  let address = '';
  let behaviour: Behaviour = 'echo';
  /** Milliseconds from receipt to the deadline the broker saw on each call. */
  const deadlinesSeenMs: number[] = [];
  const held: Array<sendUnaryData<brokerV1.KafkaPassthroughResponse>> = [];
  let clients: GrpcPassthroughClients;

  beforeAll(async () => {
    server = createGrpcServer();
    server.addService(brokerV1.BrokerServiceService, {
      kafkaPassthrough(call: ServerUnaryCall<brokerV1.KafkaPassthroughRequest, brokerV1.KafkaPassthroughResponse>, callback: sendUnaryData<brokerV1.KafkaPassthroughResponse>) {
        const deadline = call.getDeadline();
        deadlinesSeenMs.push((deadline instanceof Date ? deadline.getTime() : deadline) - Date.now());
        if (behaviour === 'silent') held.push(callback);
        else if (behaviour === 'unavailable') callback({ code: status.UNAVAILABLE, details: 'broker going away' });
        else callback(null, { response: Buffer.from(call.request.request).reverse(), error: undefined });
      },
    });
    address = `127.0.0.1:${await bindGrpcServer(server, '127.0.0.1', 0)}`;
    const view = new InMemoryClusterView({ self: router(1), brokers: [{ nodeId: 'b0', grpcAddress: address, availabilityZone: 'az1' }] });
    clients = new GrpcPassthroughClients(view);
  });

  afterAll(() => {
    clients?.close();
    server?.forceShutdown();
  });

  beforeEach(() => {
    behaviour = 'echo';
    deadlinesSeenMs.length = 0;
  });

  const request = (bytes: number[]): brokerV1.KafkaPassthroughRequest => ({ header: undefined, apiKey: 10, apiVersion: 4, request: Buffer.from(bytes) });

  it("returns the broker's answer, and the call carries the caller's deadline", async () => {
    const answer = await clients.kafkaPassthrough('b0', request([1, 2, 3]), 30_000);
    expect(Buffer.from(answer.response)).toEqual(Buffer.from([3, 2, 1]));
    expect(deadlinesSeenMs).toHaveLength(1);
    // A deadline that is set, in the future and no further away than asked (slack for a loaded machine).
    expect(deadlinesSeenMs[0]).toBeGreaterThan(0);
    expect(deadlinesSeenMs[0]).toBeLessThanOrEqual(30_000);
  });

  it('fails a call the broker never answers with DEADLINE_EXCEEDED instead of hanging', async () => {
    behaviour = 'silent';
    const error = (await clients.kafkaPassthrough('b0', request([9]), 300).catch((e: unknown) => e)) as ServiceError;
    expect(error.code).toBe(status.DEADLINE_EXCEEDED);
    for (const callback of held.splice(0)) callback({ code: status.CANCELLED, details: 'test over' });
  });

  it("rejects with the broker's gRPC status", async () => {
    behaviour = 'unavailable';
    await expect(clients.kafkaPassthrough('b0', request([1]), 30_000)).rejects.toMatchObject({ code: status.UNAVAILABLE });
  });

  it('rejects a broker the view does not know with BrokerNotInViewError, sending nothing', async () => {
    await expect(clients.kafkaPassthrough('b9', request([1]), 30_000)).rejects.toBeInstanceOf(BrokerNotInViewError);
    expect(deadlinesSeenMs).toEqual([]);
  });
});
