// Generated gRPC contracts (ts-proto, grpc-js) for proto/stratus/**. One namespace per proto
// package, named <service>V<major>, because packages reuse message names:
//
//   import { brokerV1, commonV1 } from '@stratus/contracts';
//   const req: brokerV1.FetchRequest = brokerV1.FetchRequest.fromPartial({ ... });
//   server.addService(brokerV1.BrokerServiceService, impl);
//
// Regenerate with `npx nx run contracts:generate`; see docs/contracts.md.
export * from './generated';
