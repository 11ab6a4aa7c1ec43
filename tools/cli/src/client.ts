// The metadata gRPC client as the CLI uses it: promise-returning calls with a deadline, and every
// gRPC failure turned into a CommandError with one readable line (no stack, no grpc-js noise).
import { status, type ServiceError } from '@grpc/grpc-js';
import { metadataV1 } from '@stratus/contracts';
import { createGrpcClient, unaryCall, type UnaryMethod } from '@stratus/platform-grpc';
import { CommandError, oneLine } from './errors';

type Client = metadataV1.MetadataServiceClient;

const CAUSES: readonly [RegExp, string][] = [
  [/ECONNREFUSED/, 'connection refused'],
  [/ENOTFOUND|EAI_AGAIN|DNS resolution failed/i, 'unknown host'],
  [/EHOSTUNREACH|ENETUNREACH/, 'host unreachable'],
  [/ETIMEDOUT/, 'connection timed out'],
  [/ECONNRESET/, 'connection reset'],
];

/** grpc-js wraps socket errors in long text; keep the part an operator acts on. */
export function connectionCause(details: string): string {
  return CAUSES.find(([pattern]) => pattern.test(details))?.[1] ?? details;
}

/** Explains a failed call in one line; `address` names the endpoint in connection errors. */
export function describeGrpcError(error: ServiceError, address: string): string {
  // The metadata service prefixes the Kafka error name (RESOURCE_NOT_FOUND: ...); the sentence
  // after it is what an operator reads.
  const details = oneLine(error.details || error.message).replace(/^[A-Z][A-Z_]+: /, '');
  switch (error.code) {
    case status.UNAVAILABLE:
      return `cannot reach the metadata service at ${address} (${connectionCause(details)}); is the cluster running? Start it with \`npm start\` or pass --metadata host:port`;
    case status.DEADLINE_EXCEEDED:
      return `the metadata service at ${address} did not answer in time`;
    case status.UNIMPLEMENTED:
      return `the metadata service at ${address} does not support this yet: ${details}`;
    default:
      return details;
  }
}

export class MetadataClient {
  private readonly client: Client;

  constructor(
    readonly address: string,
    private readonly timeoutMs = 10_000,
  ) {
    this.client = createGrpcClient(metadataV1.MetadataServiceClient, address);
  }

  async call<Req, Res>(method: (client: Client) => UnaryMethod<Req, Res>, request: Req): Promise<Res> {
    try {
      return await unaryCall(this.client, method(this.client), request, { timeoutMs: this.timeoutMs });
    } catch (error) {
      const e = error as ServiceError;
      // Only a gRPC status is an operator's problem to explain; anything else is a bug and keeps its stack.
      if (typeof e.code !== 'number') throw error;
      throw new CommandError(describeGrpcError(e, this.address), { grpcCode: e.code });
    }
  }

  close(): void {
    this.client.close();
  }
}
