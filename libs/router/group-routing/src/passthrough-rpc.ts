// How the router reaches a broker's KafkaPassthrough RPC. In the router it is BrokerConnections
// (@stratus/router-broker-routing), on the same channel per broker as the data path; tests use
// FakeBrokers (routing.testkit.ts).
import type { brokerV1 } from '@stratus/contracts';

export interface PassthroughRpc {
  /** Rejects on transport faults (broker unknown, unreachable, deadline passed). */
  kafkaPassthrough(nodeId: string, request: brokerV1.KafkaPassthroughRequest, timeoutMs: number): Promise<brokerV1.KafkaPassthroughResponse>;
}
