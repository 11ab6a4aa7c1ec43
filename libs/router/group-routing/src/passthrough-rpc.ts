// How the router reaches a broker's KafkaPassthrough RPC. BrokerConnections
// (@stratus/router-broker-routing) does not carry this RPC yet; GrpcPassthroughClients is a
// minimal stand-in (one gRPC client per broker address from the ClusterView) until it does, and
// any object with the same method (e.g. BrokerConnections once extended) can replace it.
import { brokerV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall, type GrpcClientOptions } from '@stratus/platform-grpc';
import type { ClusterView } from '@stratus/router-cluster-view';

export interface PassthroughRpc {
  /** Rejects on transport faults (broker unknown, unreachable, deadline passed). */
  kafkaPassthrough(nodeId: string, request: brokerV1.KafkaPassthroughRequest, timeoutMs: number): Promise<brokerV1.KafkaPassthroughResponse>;
}

export class BrokerNotInViewError extends Error {
  constructor(readonly nodeId: string) {
    super(`broker ${nodeId} is not in the cluster view`);
    this.name = 'BrokerNotInViewError';
  }
}

export class GrpcPassthroughClients implements PassthroughRpc {
  private readonly clients = new Map<string, { address: string; client: brokerV1.BrokerServiceClient }>();

  constructor(
    private readonly view: ClusterView,
    private readonly grpc: GrpcClientOptions = {},
  ) {}

  kafkaPassthrough(nodeId: string, request: brokerV1.KafkaPassthroughRequest, timeoutMs: number): Promise<brokerV1.KafkaPassthroughResponse> {
    const endpoint = this.view.broker(nodeId);
    if (!endpoint) return Promise.reject(new BrokerNotInViewError(nodeId));
    let entry = this.clients.get(nodeId);
    if (!entry || entry.address !== endpoint.grpcAddress) {
      entry?.client.close();
      entry = { address: endpoint.grpcAddress, client: createGrpcClient(brokerV1.BrokerServiceClient, endpoint.grpcAddress, this.grpc) };
      this.clients.set(nodeId, entry);
    }
    const { client } = entry;
    return unaryCall(client, client.kafkaPassthrough, request, { timeoutMs });
  }

  close(): void {
    for (const { client } of this.clients.values()) client.close();
    this.clients.clear();
  }
}
